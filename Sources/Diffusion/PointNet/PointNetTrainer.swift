/// What a `PointNet` learns per cloud: a class (softmax cross-entropy over K logits) or one
/// standardised value (squared error on its single output).
public enum PointNetTargets: Sendable, Equatable {
    /// Class indices in 0 ..< K: `[clouds]`.
    case classes([Int])
    /// Standardised values: `[clouds]`.
    case values([Double])

    public var count: Int {
        switch self {
        case let .classes(labels): labels.count
        case let .values(values): values.count
        }
    }

    /// L and ∂L/∂y `[B, K]` for outputs y of the clouds `indices` (B of them):
    /// cross-entropy, or (1/B) Σ_b (y_b − v_b)².
    public func lossAndGradient(outputs y: [Float], indices: [Int], width: Int) -> (loss: Double, gradient: [Float]) {
        switch self {
        case let .classes(labels):
            return SoftmaxCrossEntropy.lossAndGradient(logits: y, labels: indices.map { labels[$0] }, classes: width)
        case let .values(values):
            precondition(width == 1 && y.count == indices.count, "regression: \(y.count) outputs of width \(width) for \(indices.count) clouds")
            let count = Double(indices.count)
            let residuals = zip(y, indices).map { Double($0) - values[$1] }
            return (residuals.reduce(0) { $0 + $1 * $1 } / count, residuals.map { Float(2 * $0 / count) })
        }
    }
}

/// Trains a `PointNet` on labelled clouds by AdamW with EDM's clipping and an EMA, batches in
/// the seeded order of a `BatchSampler`, each cloud augmented (`CloudAugmentation`) by draws
/// from the run's generator. The same `TrainingState` and `Checkpoint` as diffusion training,
/// so a saved run resumes exactly.
public final class PointNetTrainer {
    public let network: PointNet
    public let augmentation: CloudAugmentation
    public let configuration: TrainerConfiguration
    public private(set) var state: TrainingState
    private let workspace = PointNet.Workspace()

    /// A fresh run on `datasetSize` clouds, parameters seeded by `configuration.seed`.
    public init(network: PointNet, augmentation: CloudAugmentation, configuration: TrainerConfiguration, datasetSize: Int) throws {
        try configuration.optimizer.validate()
        var generator = Xoshiro256StarStar(seed: configuration.seed)
        let parameters = network.initialParameters(using: &generator)
        self.network = network
        self.augmentation = augmentation
        self.configuration = configuration
        self.state = try TrainingState.starting(at: parameters, configuration: configuration, datasetSize: datasetSize,
                                                generator: generator)
    }

    /// Continues the run saved in `checkpoint` (read from `path`, which errors name).
    public init(network: PointNet, augmentation: CloudAugmentation, resumingFrom checkpoint: Checkpoint, path: String) throws {
        self.network = network
        self.augmentation = augmentation
        self.configuration = checkpoint.trainer
        self.state = try TrainingState.resuming(checkpoint, parameterCount: network.parameterCount, network: "the network", path: path)
    }

    /// The weights to predict with: the EMA when on, else θ.
    public var predictionParameters: [Float] { state.ema?.weights ?? state.parameters }

    /// One optimiser step on the next batch of `data`, whose clouds' targets are `targets` (in its index order).
    @discardableResult
    public func step(on data: some GraphDataSource, targets: PointNetTargets) throws -> TrainingStepReport {
        guard data.count == state.batches.datasetSize, targets.count == data.count else {
            throw DiffusionError.invalidConfiguration(
                "\(data.count) clouds and \(targets.count) targets for a run set up for \(state.batches.datasetSize)")
        }
        var batches = state.batches, generator = state.generator
        let epoch = batches.epoch
        let indices = batches.nextBatch()
        let batch = try data.batch(at: indices)
        try batch.validate(featureWidth: 0, conditionWidth: 0)
        let (positions, layout) = augmentation.apply(batch.positions, layout: batch.layout, using: &generator)
        network.forward(positions, layout: layout, parameters: state.parameters, workspace: workspace)
        let (loss, dy) = targets.lossAndGradient(outputs: workspace.output, indices: indices, width: network.outputs)
        guard loss.isFinite else { throw DiffusionError.nonFiniteLoss(step: state.step + 1, loss: loss) }
        var gradient = [Float](repeating: 0, count: network.parameterCount)
        network.backward(outputGradient: dy, parameters: state.parameters, gradient: &gradient, workspace: workspace)
        return state.finishStep(loss: loss, gradient: &gradient, batches: batches, generator: generator, epoch: epoch,
                                configuration: configuration)
    }

    /// A checkpoint of the run; `modelConfiguration` is the caller's JSON describing the model.
    public func checkpoint(modelConfiguration: String) -> Checkpoint {
        Checkpoint(modelConfiguration: modelConfiguration, trainer: configuration, state: state)
    }
}
