/// Runs optimiser steps on a model: the model's loss and gradient on a batch
/// (for EDM's model: t, ε and the weighted ε-loss of `GradientStep`), adaptive
/// clipping, AdamW, EMA. The batch comes from the caller (`step(on:)` with a
/// `GraphBatch`: weighted samples for fine-tuning, say) or from a dataset in the
/// run's seeded order (`step(on:)` with a `GraphDataSource`). All state sits in
/// `state`, which a `Checkpoint` saves and restores exactly.
public final class Trainer {
    public let model: any DiffusionModel
    public let configuration: TrainerConfiguration
    public private(set) var state: TrainingState
    /// The ranks this trainer's steps are spread over (`SingleProcess`: one); see
    /// `Trainer+DataParallel.swift`.
    public var communicator: any Communicator = SingleProcess()
    /// Values per all-reduce call when the gradient is summed over ranks (8 Mi floats = 32 MiB:
    /// EDM's 5.3 M-parameter model in one call; each call costs the ring's latency once, and
    /// with no overlap of computation, more calls only add latency; Sources/Cluster/README.md).
    public var bucketSize = 1 << 23
    /// Time and volume of the gradient all-reduces so far.
    public internal(set) var communication = CommunicationTotals()
    /// ∂L/∂θ `[P]`, reused by every step.
    var gradient: [Float] = []

    /// A fresh run of EDM's model of `denoiser` on `process`.
    public convenience init<Network: Denoiser>(denoiser: Network, process: DiffusionProcess,
                                               configuration: TrainerConfiguration, datasetSize: Int) throws {
        try self.init(model: GraphDiffusionModel(network: denoiser, process: process),
                      configuration: configuration, datasetSize: datasetSize)
    }

    /// Continues a saved run of EDM's model of `denoiser` (see `init(model:resumingFrom:changes:path:)`).
    public convenience init<Network: Denoiser>(denoiser: Network, process: DiffusionProcess, resumingFrom checkpoint: Checkpoint,
                                               changes: TrainerConfiguration.Changes = .init(), path: String = "checkpoint") throws {
        try self.init(model: GraphDiffusionModel(network: denoiser, process: process), resumingFrom: checkpoint,
                      changes: changes, path: path)
    }

    /// A fresh run: parameters from the model's initialisation, seeded by
    /// `configuration.seed`; `datasetSize` graphs in the data order (1 when
    /// batches come from elsewhere).
    public init(model: any DiffusionModel, configuration: TrainerConfiguration, datasetSize: Int) throws {
        try configuration.optimizer.validate()
        var generator = Xoshiro256StarStar(seed: configuration.seed)
        let parameters = model.initialParameters(using: &generator)
        guard parameters.count == model.parameterCount else {
            throw DiffusionError.invalidConfiguration(
                "model initialised \(parameters.count) parameters but declares \(model.parameterCount)")
        }
        self.model = model
        self.configuration = configuration
        self.state = try TrainingState.starting(at: parameters, configuration: configuration, datasetSize: datasetSize,
                                                generator: generator)
    }

    /// Continues a saved run, with `changes` to its optimisation settings
    /// (learning rate, weight decay, EMA decay, clipping). A new EMA decay
    /// goes on from the saved average; an EMA turned on starts from the
    /// current parameters; an EMA turned off is dropped.
    public init(model: any DiffusionModel, resumingFrom checkpoint: Checkpoint,
                changes: TrainerConfiguration.Changes = .init(), path: String = "checkpoint") throws {
        let configuration = checkpoint.trainer.applying(changes).configuration
        try configuration.optimizer.validate()
        guard !checkpoint.isWeightsOnly else {
            throw DiffusionError.checkpointMismatch(
                path: path, reason: "it holds sampling weights only (no optimiser state), so training cannot resume from it")
        }
        guard checkpoint.state.parameters.count == model.parameterCount else {
            throw DiffusionError.checkpointMismatch(
                path: path,
                reason: "\(checkpoint.state.parameters.count) parameters saved, model has \(model.parameterCount)")
        }
        var state = checkpoint.state
        if configuration.emaDecay != checkpoint.trainer.emaDecay || (configuration.emaDecay > 0) != (state.ema != nil) {
            state.ema = configuration.emaDecay > 0
                ? try ExponentialMovingAverage(decay: configuration.emaDecay, initialWeights: state.ema?.weights ?? state.parameters)
                : nil
        }
        self.model = model
        self.configuration = configuration
        self.state = state
    }

    /// Starts a fresh run from given weights (the EMA too), e.g. a trained encoder
    /// under a new prior, the rest as initialised. Only before the first step:
    /// AdamW's moments must not describe other weights.
    public func initialize(with parameters: [Float]) throws {
        guard state.step == 0 else {
            throw DiffusionError.invalidConfiguration("weights can be set only before the first step (this run is at step \(state.step))")
        }
        guard parameters.count == state.parameters.count else {
            throw DiffusionError.invalidConfiguration("\(parameters.count) weights for a model of \(state.parameters.count)")
        }
        state.parameters = parameters
        if state.ema != nil { state.ema?.weights = parameters }
    }

    /// The parameters to sample with: the EMA when on, else θ.
    public var samplingParameters: [Float] { state.ema?.weights ?? state.parameters }

    /// One optimiser step on the next batch of `data` in the run's seeded order.
    /// State changes only when the step succeeds; the large vectors are updated in place.
    @discardableResult
    public func step(on data: some GraphDataSource) throws -> TrainingStepReport {
        guard data.count == state.batches.datasetSize else {
            throw DiffusionError.invalidConfiguration(
                "the data source holds \(data.count) graphs but this run was set up for \(state.batches.datasetSize)")
        }
        var batches = state.batches
        let indices = batches.nextBatch()
        return try step(on: try data.batch(at: indices), advancing: batches)
    }

    /// One optimiser step on `batch` (its per-graph weights and conditions
    /// included), which the caller made: the step of any loop whose batches do
    /// not come from a fixed dataset. The data order does not move.
    @discardableResult
    public func step(on batch: GraphBatch) throws -> TrainingStepReport {
        try step(on: batch, advancing: state.batches)
    }

    /// One optimiser step with a loss and gradient computed by the caller (an objective other
    /// than the model's own, such as step-level RGDM's): clipping, AdamW and the EMA as for any
    /// step. `gradient` is clipped in place; the data order and the trainer's generator do not move.
    @discardableResult
    public func step(loss: Double, gradient: inout [Float]) throws -> TrainingStepReport {
        precondition(gradient.count == model.parameterCount, "gradient \(gradient.count), model \(model.parameterCount)")
        guard loss.isFinite else { throw DiffusionError.nonFiniteLoss(step: state.step + 1, loss: loss) }
        let epoch = state.batches.epoch
        let report = state.apply(&gradient, configuration: configuration)
        state.history.record(loss: loss, clipped: report.clipped, finishedEpoch: false)
        return TrainingStepReport(step: state.step, epoch: epoch, loss: loss, gradientNorm: report.norm, clipped: report.clipped)
    }

    /// The step on `batch`, with `batches` the data order after it.
    private func step(on batch: GraphBatch, advancing batches: BatchSampler) throws -> TrainingStepReport {
        try model.validate(batch)
        let epoch = state.batches.epoch
        var generator = state.generator
        gradient.resizeKeepingCapacity(to: model.parameterCount)
        let loss = communicator.size == 1
            ? model.accumulate(parameters: state.parameters, batch: batch, gradient: &gradient, using: &generator)
            : try accumulateOverRanks(batch, using: &generator)
        guard loss.isFinite else { throw DiffusionError.nonFiniteLoss(step: state.step + 1, loss: loss) }
        return state.finishStep(loss: loss, gradient: &gradient, batches: batches, generator: generator, epoch: epoch,
                                configuration: configuration)
    }

    /// A checkpoint of the run; `modelConfiguration` is the caller's JSON
    /// describing the model (stored verbatim).
    public func checkpoint(modelConfiguration: String) -> Checkpoint {
        Checkpoint(modelConfiguration: modelConfiguration, trainer: configuration, state: state)
    }
}

extension TrainingState {
    /// The optimiser's update with a gradient computed anywhere (`DiffusionModel.lossAndGradient`,
    /// an all-reduce of ranks' gradients): clipping (when on), AdamW and the EMA, in
    /// that order, as EDM's train loop does them; `gradient` is clipped in place.
    public mutating func apply(_ gradient: inout [Float], configuration: TrainerConfiguration) -> AdaptiveGradientClipper.Report {
        var report = AdaptiveGradientClipper.Report(norm: 0, maximumNorm: .infinity)
        if configuration.clipsGradients { report = clipper.clip(&gradient) }
        AdamW.update(&parameters, gradient: gradient, state: &optimizer, configuration: configuration.optimizer)
        ema?.update(with: parameters)
        return report
    }

    /// Ends a step whose loss and gradient are computed: the update (`apply`), then the data
    /// order and generator as they stand after the step's draws, and the loss in the history.
    /// `epoch` is the epoch the batch was drawn in.
    mutating func finishStep(loss: Double, gradient: inout [Float], batches: BatchSampler, generator: Xoshiro256StarStar,
                             epoch: Int, configuration: TrainerConfiguration) -> TrainingStepReport {
        self.batches = batches
        self.generator = generator
        let report = apply(&gradient, configuration: configuration)
        history.record(loss: loss, clipped: report.clipped, finishedEpoch: batches.epoch != epoch)
        return TrainingStepReport(step: step, epoch: epoch, loss: loss, gradientNorm: report.norm, clipped: report.clipped)
    }

    /// The state of the run saved in `checkpoint` (read from `path`, which errors name) for a
    /// network of `parameterCount` parameters, called `network` in the error.
    static func resuming(_ checkpoint: Checkpoint, parameterCount: Int, network: String, path: String) throws -> TrainingState {
        guard !checkpoint.isWeightsOnly else {
            throw DiffusionError.checkpointMismatch(path: path, reason: "it holds weights only (no optimiser state), so training cannot resume from it")
        }
        guard checkpoint.state.parameters.count == parameterCount else {
            throw DiffusionError.checkpointMismatch(
                path: path, reason: "\(checkpoint.state.parameters.count) parameters saved, \(network) has \(parameterCount)")
        }
        return checkpoint.state
    }
}
