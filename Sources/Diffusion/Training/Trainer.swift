/// Runs training steps on an objective: draw a batch in seeded order, the
/// objective's loss and gradient (for a denoiser, EDM's: t, ε and the
/// weighted ε-loss of `GradientStep`), adaptive clipping, AdamW, EMA. All
/// state sits in `state`, which a `Checkpoint` saves and restores exactly.
public final class Trainer {
    public let objective: any TrainingObjective
    public let configuration: TrainerConfiguration
    public private(set) var state: TrainingState
    /// ∂L/∂θ `[P]`, reused by every step.
    private var gradient: [Float] = []

    /// A fresh run of EDM's objective on `denoiser`.
    public convenience init<Model: Denoiser>(denoiser: Model, process: DiffusionProcess,
                                             configuration: TrainerConfiguration, datasetSize: Int) throws {
        try self.init(objective: DenoisingObjective(denoiser: denoiser, process: process),
                      configuration: configuration, datasetSize: datasetSize)
    }

    /// Continues a saved run of EDM's objective on `denoiser` (see
    /// `init(objective:resumingFrom:changes:path:)`).
    public convenience init<Model: Denoiser>(denoiser: Model, process: DiffusionProcess, resumingFrom checkpoint: Checkpoint,
                                             changes: TrainerConfiguration.Changes = .init(), path: String = "checkpoint") throws {
        try self.init(objective: DenoisingObjective(denoiser: denoiser, process: process), resumingFrom: checkpoint,
                      changes: changes, path: path)
    }

    /// A fresh run: parameters from the objective's initialisation, seeded by
    /// `configuration.seed`.
    public init(objective: any TrainingObjective, configuration: TrainerConfiguration, datasetSize: Int) throws {
        try configuration.optimizer.validate()
        var generator = Xoshiro256StarStar(seed: configuration.seed)
        let parameters = objective.initialParameters(using: &generator)
        guard parameters.count == objective.parameterCount else {
            throw DiffusionError.invalidConfiguration(
                "model initialised \(parameters.count) parameters but declares \(objective.parameterCount)")
        }
        self.objective = objective
        self.configuration = configuration
        self.state = TrainingState(
            parameters: parameters,
            optimizer: AdamWState(parameterCount: parameters.count, amsgrad: configuration.optimizer.amsgrad),
            ema: configuration.emaDecay > 0
                ? try ExponentialMovingAverage(decay: configuration.emaDecay, initialWeights: parameters) : nil,
            clipper: try AdaptiveGradientClipper(),
            generator: generator,
            batches: try BatchSampler(datasetSize: datasetSize, batchSize: configuration.batchSize,
                                      seed: configuration.seed),
            history: TrainingHistory())
    }

    /// Continues a saved run, with `changes` to its optimisation settings
    /// (learning rate, weight decay, EMA decay, clipping). A new EMA decay
    /// goes on from the saved average; an EMA turned on starts from the
    /// current parameters; an EMA turned off is dropped.
    public init(objective: any TrainingObjective, resumingFrom checkpoint: Checkpoint,
                changes: TrainerConfiguration.Changes = .init(), path: String = "checkpoint") throws {
        let configuration = checkpoint.trainer.applying(changes).configuration
        try configuration.optimizer.validate()
        guard !checkpoint.isWeightsOnly else {
            throw DiffusionError.checkpointMismatch(
                path: path, reason: "it holds sampling weights only (no optimiser state), so training cannot resume from it")
        }
        guard checkpoint.state.parameters.count == objective.parameterCount else {
            throw DiffusionError.checkpointMismatch(
                path: path,
                reason: "\(checkpoint.state.parameters.count) parameters saved, model has \(objective.parameterCount)")
        }
        var state = checkpoint.state
        if configuration.emaDecay != checkpoint.trainer.emaDecay || (configuration.emaDecay > 0) != (state.ema != nil) {
            state.ema = configuration.emaDecay > 0
                ? try ExponentialMovingAverage(decay: configuration.emaDecay, initialWeights: state.ema?.weights ?? state.parameters)
                : nil
        }
        self.objective = objective
        self.configuration = configuration
        self.state = state
    }

    /// Starts a fresh run from given weights for part of the model (`values` into
    /// `parameters[range]`, the EMA too), e.g. a trained encoder under a new prior.
    /// Only before the first step: AdamW's moments must not describe other weights.
    public func initialize(_ range: Range<Int>, with values: ArraySlice<Float>) throws {
        guard state.step == 0 else {
            throw DiffusionError.invalidConfiguration("weights can be set only before the first step (this run is at step \(state.step))")
        }
        guard values.count == range.count, range.lowerBound >= 0, range.upperBound <= state.parameters.count else {
            throw DiffusionError.invalidConfiguration(
                "\(values.count) weights for parameters \(range) of a model of \(state.parameters.count)")
        }
        state.parameters.replaceSubrange(range, with: values)
        state.ema?.weights.replaceSubrange(range, with: values)
    }

    /// The parameters to sample with: the EMA when on, else θ.
    public var samplingParameters: [Float] { state.ema?.weights ?? state.parameters }

    /// One optimiser step on the next batch of `data`. State changes only
    /// when the step succeeds; the large vectors are updated in place.
    @discardableResult
    public func step(on data: some GraphDataSource) throws -> TrainingStepReport {
        guard data.count == state.batches.datasetSize else {
            throw DiffusionError.invalidConfiguration(
                "the data source holds \(data.count) graphs but this run was set up for \(state.batches.datasetSize)")
        }
        var batches = state.batches
        let epoch = batches.epoch
        let indices = batches.nextBatch()
        let batch = try data.batch(at: indices)
        try objective.validate(batch)

        var generator = state.generator
        gradient.resizeKeepingCapacity(to: objective.parameterCount)
        let loss = objective.accumulate(parameters: state.parameters, batch: batch, gradient: &gradient, using: &generator)
        guard loss.isFinite else { throw DiffusionError.nonFiniteLoss(step: state.step + 1, loss: loss) }

        state.batches = batches
        state.generator = generator
        let report = state.apply(&gradient, configuration: configuration)
        state.history.record(loss: loss, clipped: report.clipped, finishedEpoch: batches.epoch != epoch)
        return TrainingStepReport(step: state.step, epoch: epoch, loss: loss,
                                  gradientNorm: report.norm, clipped: report.clipped)
    }

    /// A checkpoint of the run; `modelConfiguration` is the caller's JSON
    /// describing the model (stored verbatim).
    public func checkpoint(modelConfiguration: String) -> Checkpoint {
        Checkpoint(modelConfiguration: modelConfiguration, trainer: configuration, state: state)
    }
}

extension TrainingState {
    /// Clipping (when on), AdamW and the EMA, in that order, as EDM's train
    /// loop does them; `gradient` is clipped in place.
    mutating func apply(_ gradient: inout [Float], configuration: TrainerConfiguration) -> AdaptiveGradientClipper.Report {
        var report = AdaptiveGradientClipper.Report(norm: 0, maximumNorm: .infinity)
        if configuration.clipsGradients { report = clipper.clip(&gradient) }
        AdamW.update(&parameters, gradient: gradient, state: &optimizer, configuration: configuration.optimizer)
        ema?.update(with: parameters)
        return report
    }
}
