/// Trains a `LatentPropertyNetwork` on latents held in memory (`[n, Z]`) and their targets (a
/// class, softmax cross-entropy; or a standardised value, squared error: `PointNetTargets`), by
/// AdamW with EDM's clipping and an EMA, batches in the seeded order of a `BatchSampler`. The
/// same `TrainingState` and `Checkpoint` as diffusion training, so a saved run resumes exactly.
///
/// Noise-aware (`process` given: the latent prior's forward process): each latent of a batch is
/// seen as z_t = α_t z + σ_t ε at t ~ U{0, …, T}, ε ~ N(0, I), with time input t/T, drawn as the
/// prior's training draws them, so f(z_t, t) is defined wherever the prior's chain goes and its
/// gradient can guide it at every step. Without a process it sees z at t = 0.
public final class LatentPropertyTrainer {
    public let network: LatentPropertyNetwork
    /// The forward process of a noise-aware run; nil: clean latents.
    public let process: DiffusionProcess?
    public let configuration: TrainerConfiguration
    public private(set) var state: TrainingState

    /// A fresh run on `datasetSize` latents, parameters seeded by `configuration.seed`.
    public init(network: LatentPropertyNetwork, noise process: DiffusionProcess?, configuration: TrainerConfiguration,
                datasetSize: Int) throws {
        try configuration.optimizer.validate()
        try network.configuration.validate()
        var generator = Xoshiro256StarStar(seed: configuration.seed)
        let parameters = network.initialParameters(using: &generator)
        self.network = network
        self.process = process
        self.configuration = configuration
        self.state = try TrainingState.starting(at: parameters, configuration: configuration, datasetSize: datasetSize,
                                                generator: generator)
    }

    /// Continues the run saved in `checkpoint` (read from `path`, which errors name).
    public init(network: LatentPropertyNetwork, noise process: DiffusionProcess?, resumingFrom checkpoint: Checkpoint,
                path: String) throws {
        try network.configuration.validate()
        self.network = network
        self.process = process
        self.configuration = checkpoint.trainer
        self.state = try TrainingState.resuming(checkpoint, parameterCount: network.parameterCount, network: "the latent property network",
                                                path: path)
    }

    /// The weights to predict with: the EMA when on, else θ.
    public var predictionParameters: [Float] { state.ema?.weights ?? state.parameters }

    /// One optimiser step on the next batch of `latents` (`[n, Z]`), whose targets are `targets`
    /// (`[n]`, in the same order).
    @discardableResult
    public func step(on latents: [Float], targets: PointNetTargets) throws -> TrainingStepReport {
        let z = network.latentWidth, n = latents.count / z
        guard latents.count == n * z, n == state.batches.datasetSize, targets.count == n else {
            throw DiffusionError.invalidConfiguration(
                "\(latents.count) latent values (width \(z)) and \(targets.count) targets for a run set up for \(state.batches.datasetSize)")
        }
        var batches = state.batches, generator = state.generator
        let epoch = batches.epoch
        let indices = batches.nextBatch()
        // x: [B, Z], then z_t = α_t x + σ_t ε per row when noise-aware; time t/T: [B]
        var x = indices.flatMap { latents[($0 * z) ..< (($0 + 1) * z)] }
        var time = [Float](repeating: 0, count: indices.count)
        if let process {
            let schedule = process.schedule
            for b in indices.indices {
                let t = Int(generator.next(upperBound: UInt64(schedule.timesteps + 1)))
                let alpha = Float(schedule.alpha(at: t)), sigma = Float(schedule.sigma(at: t))
                for j in (b * z) ..< ((b + 1) * z) { x[j] = alpha * x[j] + sigma * Float(generator.nextStandardNormal()) }
                time[b] = Float(t) / Float(schedule.timesteps)
            }
        }
        var gradient = [Float](repeating: 0, count: network.parameterCount)
        let (loss, _) = network.lossAndGradient(x, time: time, parameters: state.parameters, gradient: &gradient) { y in
            let (loss, dy) = targets.lossAndGradient(outputs: y, indices: indices, width: network.outputs)
            return (loss, dy)
        }
        guard loss.isFinite else { throw DiffusionError.nonFiniteLoss(step: state.step + 1, loss: loss) }
        return state.finishStep(loss: loss, gradient: &gradient, batches: batches, generator: generator, epoch: epoch,
                                configuration: configuration)
    }

    /// A checkpoint of the run; `modelConfiguration` is the caller's JSON describing the model.
    public func checkpoint(modelConfiguration: String) -> Checkpoint {
        Checkpoint(modelConfiguration: modelConfiguration, trainer: configuration, state: state)
    }
}
