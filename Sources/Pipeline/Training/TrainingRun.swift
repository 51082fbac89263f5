import Diffusion
import Foundation

/// A run opened for training: its folder, the card of its model and the
/// trainer holding its state. Opening decides between resuming and starting:
/// a folder with a checkpoint resumes it (same seed, same data order, same
/// losses as an uninterrupted run, unless `changes` set a new learning rate,
/// weight decay, EMA decay or clipping, or new training settings of the
/// network: logged, and listed in `resumeChanges`); else a fresh run starts
/// with `card`, taking the weights of every network `initializeFrom` shares.
public final class TrainingRun {
    public let directory: RunDirectory
    public private(set) var card: ModelCard
    public let trainer: Trainer
    public let log: JSONLinesLog
    /// What a resumed run's options changed ("learning rate 0.0003 → 0.0001").
    public let resumeChanges: [String]

    /// - Parameters:
    ///   - datasetSize: graphs in the data order (a resumed run must see as many).
    ///   - batchSizeGiven: the batch size asked for; a resumed run refuses any other than its own, which fixes its data order.
    ///   - communicator: the ranks of a data-parallel run; every rank opens the run, rank 0 alone writes to its folder.
    ///   - view: what the trainer trains of the card's model: the model itself, or a view of it
    ///     with the same parameter vector and another objective (`LatentPriorModel`).
    public init(directory: RunDirectory, card: ModelCard, configuration: TrainerConfiguration,
                changes: TrainerConfiguration.Changes = .init(), batchSizeGiven: Int? = nil,
                datasetSize: Int, threads: Int, initializeFrom: String? = nil,
                communicator: any Communicator = SingleProcess(),
                view: (any DiffusionModel) throws -> any DiffusionModel = { $0 }) throws {
        try directory.create()
        let path = directory.url.path
        var event: [String: Any]?
        if directory.hasCheckpoint {
            if initializeFrom != nil {
                throw PipelineError.invalidRun(
                    path: path, reason: "it already holds a checkpoint; --initialize-from starts a new run, so use another --output")
            }
            let checkpoint = try directory.loadCheckpoint()
            let saved = try ModelCard(checkpoint: checkpoint, path: directory.checkpointURL.path)
            guard saved.domain == card.domain, card.network.continues(saved.network),
                  saved.timesteps == card.timesteps, saved.schedule == card.schedule else {
                throw PipelineError.invalidRun(
                    path: path, reason: "it holds a checkpoint of a different model (\(saved.domain), \(saved.modelDescription)); use another --output or the same model options")
            }
            guard saved.condition == card.condition else {
                throw PipelineError.invalidRun(
                    path: path, reason: "its checkpoint was trained "
                        + (saved.condition.map { "conditioned on \($0.properties.joined(separator: ", ")) with other labels or settings" } ?? "unconditionally")
                        + "; resume with the same --condition options or use another --output")
            }
            guard checkpoint.state.batches.datasetSize == datasetSize else {
                throw PipelineError.invalidRun(
                    path: path, reason: "its checkpoint was trained on \(checkpoint.state.batches.datasetSize) graphs but the dataset has \(datasetSize)")
            }
            if let batchSizeGiven, batchSizeGiven != checkpoint.trainer.batchSize {
                throw PipelineError.invalidRun(
                    path: path, reason: "it was trained with batches of \(checkpoint.trainer.batchSize), not \(batchSizeGiven); the batch size fixes its data order, so resume without --batch or use another --output")
            }
            // The saved card, with the network's training settings as given.
            var resumed = saved
            resumed.network = card.network
            self.card = resumed
            self.trainer = try Trainer(model: view(resumed.makeModel(threads: threads)), resumingFrom: checkpoint,
                                       changes: changes, path: directory.checkpointURL.path)
            self.resumeChanges = checkpoint.trainer.applying(changes).descriptions + card.network.settingChanges(from: saved.network)
        } else {
            var card = card
            let trainer = try Trainer(model: view(card.makeModel(threads: threads)), configuration: configuration, datasetSize: datasetSize)
            if let initializeFrom {
                let source = try TrainedModel(path: initializeFrom, threads: 1)
                var parameters = trainer.state.parameters
                let parts = try card.transferWeights(from: source.card, parameters: source.parameters, into: &parameters)
                guard !parts.isEmpty else {
                    throw PipelineError.invalidModel(
                        path: initializeFrom, reason: "none of its networks matches the model to train (\(source.card.modelDescription))")
                }
                try trainer.initialize(with: parameters)
                card.initializedFrom = "\(initializeFrom) (step \(source.trainedSteps)): \(parts.joined(separator: ", "))"
                event = ["step": 0, "event": "initialized from", "path": initializeFrom,
                         "source_step": source.trainedSteps, "parts": parts]
            }
            self.card = card
            self.trainer = trainer
            self.resumeChanges = []
        }
        self.directory = directory
        self.log = communicator.isPrimary ? try directory.openLog() : JSONLinesLog(discardingAs: directory.logURL)
        trainer.communicator = communicator
        try trainer.checkRanksAgree()
        if let event { try log.append(event) }
        if !resumeChanges.isEmpty {
            try log.append(["step": trainer.state.step, "event": "settings changed on resume", "changes": resumeChanges])
        }
    }

    /// Steps taken so far.
    public var step: Int { trainer.state.step }

    /// Saves the current state atomically, with the state of the loop that feeds the trainer.
    /// Saves the trainer with the card; `nodeCounts`, when given, replaces the card's (reward
    /// fine-tuning's tilted sizes).
    /// Every rank of a data-parallel run calls it at the same steps: the ranks first check that
    /// they still hold the same weights (`Trainer.checkRanksAgree`), then rank 0 alone writes.
    public func saveCheckpoint(runState: String? = nil, nodeCounts: NodeCountDistribution? = nil) throws {
        if let nodeCounts { card.nodeCounts = nodeCounts }
        try trainer.checkRanksAgree()
        guard trainer.communicator.isPrimary else { return }
        try directory.save(trainer, card: card, runState: runState)
    }

    /// Mean of the trainer's recent losses (the last ≤ 100 steps).
    public var meanRecentLoss: Double {
        let recent = trainer.state.history.recentLosses
        return recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count)
    }
}
