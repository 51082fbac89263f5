/// A diffusion model that learns and generates graphs: the one interface that
/// training, fine-tuning and sampling see, whatever the architecture
/// (`GraphDiffusionModel` for EDM's EGNN on whole graphs, `LatentPointModel`
/// for latent point diffusion of shapes).
///
/// Parameters live outside the model in one flat `[Float]` θ that the
/// optimiser, the EMA, checkpoints and an all-reduce treat as a plain vector;
/// a model owns only scratch buffers and worker replicas. One stochastic
/// gradient is a pure function of (θ, batch, generator state) → (L, ∂L/∂θ),
/// and sampling a pure function of (θ, settings, generator state) → graphs.
public protocol DiffusionModel: AnyObject {
    /// Length of the flat parameter vector θ.
    var parameterCount: Int { get }
    /// Width F of the node features of the graphs it learns and generates (0 for point clouds).
    var featureWidth: Int { get }
    /// Width of the per-graph condition vector (0 when unconditional).
    var conditionWidth: Int { get }

    /// Freshly initialised parameters (each layer's standard initialisation).
    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float]

    // MARK: Training objective

    /// Throws `DiffusionError.invalidBatch` when `batch` does not fit the model.
    func validate(_ batch: GraphBatch) throws

    /// One stochastic estimate of the training loss on `batch` (each graph's term
    /// weighted by `batch.weights`, conditioned on `batch.condition`): adds ∂L/∂θ
    /// into `gradient` (`[parameterCount]`) and returns L. Its noise draws come
    /// from `generator` only.
    func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, gradient: inout [Float], using generator: inout G) -> Double

    /// A data-parallel rank's share of `accumulate`: the generator moves as for the whole of
    /// `batch`, and the result is the loss and gradient of the graphs in `part` (their mean),
    /// such that the ranks' results weighted by their share of the batch (`part.count` / graphs)
    /// sum to the whole batch's.
    func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, part: Range<Int>, gradient: inout [Float], using generator: inout G) -> Double

    /// The named parts of the last `accumulate`'s loss, for logs (empty when L has one part).
    var lastLossTerms: [(name: String, value: Double)] { get }

    // MARK: Sampling

    /// Draws `count` graphs in batches of at most `batchSize` by the reverse
    /// process `sampling`, sizes from `nodeCounts`, every graph with `condition`
    /// (`[conditionWidth]`, empty when unconditional); `progress` is told the
    /// number of graphs each finished batch added. Same generator state, same graphs.
    ///
    /// Throws `DiffusionError.invalidConfiguration` for settings the model cannot
    /// sample with (a condition of the wrong width, a latent chain on a model without latents).
    func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, nodeCounts: NodeCountDistribution, condition: [Float], parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void) throws -> [SampleResult]

    /// Network calls per generated graph by the reverse process `sampling` (the
    /// sampler's timesteps; a latent model's latent and point chains together),
    /// the measure of a sampler's cost. Throws as `sample` does for settings the
    /// model cannot sample with.
    func networkCalls(sampling: SamplingSettings) throws -> Int
}

extension DiffusionModel {
    public var lastLossTerms: [(name: String, value: Double)] { [] }

    /// The whole batch's loss and gradient, whatever `part`: correct for any model (the shares
    /// sum to one) but no faster on more ranks. Models whose draws can be split override it.
    public func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, part: Range<Int>, gradient: inout [Float], using generator: inout G
    ) -> Double {
        accumulate(parameters: parameters, batch: batch, gradient: &gradient, using: &generator)
    }

    /// The training loss and its gradient on `batch` at `parameters`: one
    /// gradient step's computation, with no optimiser and no state of its own,
    /// for any loop (training on data, reward fine-tuning on weighted samples,
    /// data-parallel ranks that all-reduce the gradients).
    public func lossAndGradient<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, using generator: inout G
    ) throws -> (loss: Double, gradient: [Float]) {
        try validate(batch)
        var gradient = [Float](repeating: 0, count: parameterCount)
        let loss = accumulate(parameters: parameters, batch: batch, gradient: &gradient, using: &generator)
        return (loss, gradient)
    }

    /// Checks a sampling request's condition against the model's condition width.
    func checkCondition(_ condition: [Float]) throws {
        guard condition.count == conditionWidth else {
            throw DiffusionError.invalidConfiguration(
                conditionWidth == 0 ? "this model is unconditional; it was given a condition of \(condition.count) values"
                                    : "the condition has \(condition.count) values; this model takes \(conditionWidth)")
        }
    }
}

/// A model that encodes data into the latents it generates from and decodes
/// them back (latent point diffusion): reconstruction measures the decoder
/// apart from the prior.
public protocol AutoEncodingModel: DiffusionModel {
    /// Each graph of `batch` encoded to its posterior mean and decoded again by
    /// the reverse process `sampling`, as many nodes per graph as it had.
    func reconstruct<G: RandomNumberGenerator>(
        _ batch: GraphBatch, parameters: [Float], sampling: SamplingSettings, using generator: inout G) throws -> SampleResult

    /// Network calls per graph of `reconstruct` (the decoding chain alone).
    func reconstructionCalls(sampling: SamplingSettings) throws -> Int
}
