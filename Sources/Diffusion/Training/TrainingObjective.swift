/// What a `Trainer` minimises: one stochastic gradient as a pure function of
/// (parameters, batch, generator state) → (loss, ∂L/∂θ). The trainer owns
/// the optimiser, the EMA, the data order and checkpoints; an objective owns
/// only scratch buffers. Data-parallel training all-reduces its results.
public protocol TrainingObjective: AnyObject {
    /// Length of the flat parameter vector θ.
    var parameterCount: Int { get }

    /// Freshly initialised parameters.
    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float]

    /// Throws `DiffusionError.invalidBatch` when `batch` does not fit the model.
    func validate(_ batch: GraphBatch) throws

    /// Adds ∂L/∂θ into `gradient` (`[parameterCount]`) and returns L.
    func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, gradient: inout [Float], using generator: inout G) -> Double

    /// The named parts of the last `accumulate`'s loss, for logs (empty when L has one part).
    var lastLossTerms: [(name: String, value: Double)] { get }
}

extension TrainingObjective {
    public var lastLossTerms: [(name: String, value: Double)] { [] }
}

/// EDM's denoising objective on a graph denoiser (`GradientStep`): the
/// objective of every EGNN model.
public final class DenoisingObjective<Model: Denoiser>: TrainingObjective {
    public let denoiser: Model
    public let process: DiffusionProcess
    private var buffers = GradientStep.Buffers()

    public init(denoiser: Model, process: DiffusionProcess) throws {
        guard denoiser.featureWidth == process.featureWidth else {
            throw DiffusionError.invalidConfiguration(
                "denoiser feature width \(denoiser.featureWidth) ≠ feature scaling width \(process.featureWidth)")
        }
        guard denoiser.symmetry == process.symmetry else {
            throw DiffusionError.invalidConfiguration(
                "denoiser symmetry \(denoiser.symmetry) ≠ process symmetry \(process.symmetry)")
        }
        self.denoiser = denoiser
        self.process = process
    }

    public var parameterCount: Int { denoiser.parameterCount }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        denoiser.initialParameters(using: &generator)
    }

    public func validate(_ batch: GraphBatch) throws {
        try batch.validate(featureWidth: denoiser.featureWidth, conditionWidth: denoiser.conditionWidth)
    }

    public func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, gradient: inout [Float], using generator: inout G
    ) -> Double {
        GradientStep.accumulate(denoiser: denoiser, process: process, parameters: parameters, batch: batch,
                                gradient: &gradient, buffers: &buffers, using: &generator)
    }
}
