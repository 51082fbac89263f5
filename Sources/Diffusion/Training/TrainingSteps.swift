/// Where a training loop's optimiser steps come from: the next batch of a
/// dataset (`DatasetSteps`), or a round of sampling, scoring and weighting for
/// reward fine-tuning. What a source needs to continue exactly after a resume
/// goes into the checkpoint beside the trainer's state (`runState()`).
public protocol TrainingSteps {
    /// Takes one optimiser step on `trainer`.
    mutating func step(_ trainer: Trainer) throws -> TrainingStepReport
    /// Graphs each step trains on, for the log's throughput.
    var graphsPerStep: Int { get }
    /// What the source must keep to continue exactly after a resume, beyond the trainer's
    /// state (JSON, stored in the checkpoint as `Checkpoint.runState`); nil when nothing.
    func runState() throws -> String?
    /// The node-count distribution the source has fitted, when it fits one (reward fine-tuning
    /// tilts it toward the sizes the reward favours); a checkpoint's model takes it. Nil keeps
    /// the model's own.
    var nodeCounts: NodeCountDistribution? { get }
}

extension TrainingSteps {
    public func runState() throws -> String? { nil }
    public var nodeCounts: NodeCountDistribution? { nil }
}

/// Steps on a dataset's batches, in the run's seeded order.
public struct DatasetSteps: TrainingSteps {
    public let data: any GraphDataSource
    public let graphsPerStep: Int

    public init(data: any GraphDataSource, batchSize: Int) {
        self.data = data
        self.graphsPerStep = batchSize
    }

    public mutating func step(_ trainer: Trainer) throws -> TrainingStepReport { try trainer.step(on: data) }
}

