/// Trains an `EGNNRegressor` on one scalar target per graph: squared error on standardised
/// targets, L = (1/B) Σ_g (f(z_g, t_g) − y_g)², by AdamW with EDM's clipping and an EMA, batches
/// in the seeded order of a `BatchSampler`. The same `TrainingState` and `Checkpoint` as diffusion
/// training, so a saved run resumes exactly.
///
/// Inputs are in diffusion space (positions centred per graph, features scaled by `scaling`).
/// A noise-aware regressor (`noise` given) sees z_t = α_t x + σ_t ε at t ~ U{0, …, T} per graph,
/// drawn from the forward process of `noise` as EDM's training draws them, with time input t/T,
/// so its gradient can guide a chain at every t (`PropertyGuidance`); otherwise it sees x at t = 0.
public final class RegressionTrainer {
    public let regressor: EGNNRegressor
    public let scaling: FeatureScaling
    /// The forward process of a noise-aware run; nil: clean inputs.
    public let process: DiffusionProcess?
    public let configuration: TrainerConfiguration
    public private(set) var state: TrainingState

    /// A fresh run on `datasetSize` graphs, parameters seeded by `configuration.seed`.
    public init(regressor: EGNNRegressor, scaling: FeatureScaling, noise: (any NoiseSchedule)?,
                configuration: TrainerConfiguration, datasetSize: Int) throws {
        try configuration.optimizer.validate()
        try Self.check(regressor, scaling)
        var generator = Xoshiro256StarStar(seed: configuration.seed)
        let parameters = regressor.initialParameters(using: &generator)
        self.regressor = regressor
        self.scaling = scaling
        self.process = noise.map { DiffusionProcess(schedule: $0, scaling: scaling) }
        self.configuration = configuration
        self.state = try TrainingState.starting(at: parameters, configuration: configuration, datasetSize: datasetSize,
                                                generator: generator)
    }

    /// Continues the run saved in `checkpoint` (read from `path`, which errors name).
    public init(regressor: EGNNRegressor, scaling: FeatureScaling, noise: (any NoiseSchedule)?,
                resumingFrom checkpoint: Checkpoint, path: String) throws {
        try Self.check(regressor, scaling)
        self.regressor = regressor
        self.scaling = scaling
        self.process = noise.map { DiffusionProcess(schedule: $0, scaling: scaling) }
        self.configuration = checkpoint.trainer
        self.state = try TrainingState.resuming(checkpoint, parameterCount: regressor.parameterCount, network: "the regressor", path: path)
    }

    private static func check(_ regressor: EGNNRegressor, _ scaling: FeatureScaling) throws {
        guard regressor.featureWidth == scaling.width else {
            throw DiffusionError.invalidConfiguration(
                "regressor feature width \(regressor.featureWidth) ≠ feature scaling width \(scaling.width)")
        }
    }

    /// The weights to predict with: the EMA when on, else θ.
    public var predictionParameters: [Float] { state.ema?.weights ?? state.parameters }

    /// One optimiser step on the next batch of `data`; `targets` are the standardised targets of
    /// all of `data`'s graphs (`[data.count]`, in its index order).
    @discardableResult
    public func step(on data: some GraphDataSource, targets: [Double]) throws -> TrainingStepReport {
        guard data.count == state.batches.datasetSize, targets.count == data.count else {
            throw DiffusionError.invalidConfiguration(
                "\(data.count) graphs and \(targets.count) targets for a run set up for \(state.batches.datasetSize)")
        }
        var batches = state.batches, generator = state.generator
        let epoch = batches.epoch
        let indices = batches.nextBatch()
        let batch = try data.batch(at: indices)
        try batch.validate(featureWidth: regressor.featureWidth, conditionWidth: 0)
        let input = self.input(batch, using: &generator)
        let y = indices.map { targets[$0] }, count = Double(indices.count)
        var gradient = [Float](repeating: 0, count: regressor.parameterCount)
        let loss = regressor.lossAndGradient(input, parameters: state.parameters, gradient: &gradient) { prediction in
            (zip(prediction, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / count,
             zip(prediction, y).map { 2 * ($0 - $1) / count })
        }
        guard loss.isFinite else { throw DiffusionError.nonFiniteLoss(step: state.step + 1, loss: loss) }
        return state.finishStep(loss: loss, gradient: &gradient, batches: batches, generator: generator, epoch: epoch,
                                configuration: configuration)
    }

    /// The regressor's input for `batch`: x in diffusion space at t = 0, or z_t at random t when noise-aware.
    func input<G: RandomNumberGenerator>(_ batch: GraphBatch, using generator: inout G) -> DenoiserInput {
        guard let process else { return EGNNRegressor.cleanInput(batch, scaling: scaling) }
        let layout = batch.layout
        let x = process.prepare(positions: batch.positions, features: batch.features, layout: layout)
        let timesteps = (0 ..< layout.graphCount).map { _ in Int(generator.next(upperBound: UInt64(process.timesteps + 1))) }
        let noise = process.sampleNoise(layout: layout, using: &generator)
        let z = process.diffuse(x, noise: noise, timesteps: timesteps, layout: layout)
        return DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                             time: process.normalizedTime(timesteps))
    }

    /// A checkpoint of the run; `modelConfiguration` is the caller's JSON describing the model.
    public func checkpoint(modelConfiguration: String) -> Checkpoint {
        Checkpoint(modelConfiguration: modelConfiguration, trainer: configuration, state: state)
    }
}

extension EGNNRegressor {
    /// The clean input of `batch` (data units): positions centred per graph, features scaled, t = 0.
    public static func cleanInput(_ batch: GraphBatch, scaling: FeatureScaling) -> DenoiserInput {
        var positions = batch.positions
        CenterOfMass.remove(from: &positions, layout: batch.layout)
        return DenoiserInput(layout: batch.layout, positions: positions, features: scaling.scaled(batch.features),
                             time: [Float](repeating: 0, count: batch.layout.graphCount))
    }

    /// Predictions on the clean graphs of `batch` (data units, `cleanInput`): `[graphs]`, in the
    /// units the regressor was trained in.
    public func predict(_ batch: GraphBatch, scaling: FeatureScaling, parameters: [Float]) -> [Double] {
        predict(Self.cleanInput(batch, scaling: scaling), parameters: parameters)
    }
}
