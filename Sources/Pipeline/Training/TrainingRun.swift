import Diffusion
import Foundation

/// A training run on disk: `<directory>/checkpoint.rgdm` (the latest state,
/// written atomically), `log.jsonl` (one line per logged step),
/// `run.json` (arguments and code version of every invocation).
///
/// Starting a run whose directory already holds a checkpoint resumes it:
/// same seed, same data order, same losses as an uninterrupted run, unless
/// `changes` set a new learning rate, weight decay, EMA decay or clipping
/// (logged, and listed in `resumeChanges`).
public final class TrainingRun {
    public let directory: URL
    public let card: ModelCard
    public let trainer: Trainer
    public let data: any GraphDataSource
    private let log: JSONLinesLog
    /// What `changes` altered in a resumed run's settings ("learning rate 0.0003 → 0.0001").
    public let resumeChanges: [String]

    public var checkpointURL: URL { Self.checkpointURL(in: directory) }

    public static func checkpointURL(in directory: URL) -> URL {
        directory.appendingPathComponent("checkpoint.rgdm")
    }

    /// Opens a run: resumes from `directory`'s checkpoint if there is one,
    /// with `changes` to its optimisation settings (a batch size other than
    /// the run's is an error: it fixes the data order), else starts fresh
    /// with `card` and `configuration`, taking the weights of every part of
    /// the model that `initializeFrom` (a checkpoint) has too.
    public init(directory: URL, card: ModelCard, configuration: TrainerConfiguration,
                changes: TrainerConfiguration.Changes = .init(), batchSizeGiven: Int? = nil,
                data: any GraphDataSource, threads: Int, initializeFrom: String? = nil) throws {
        let checkpointURL = Self.checkpointURL(in: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var initialization: [String: Any]?
        if FileManager.default.fileExists(atPath: checkpointURL.path) {
            if initializeFrom != nil {
                throw PipelineError.invalidRun(
                    path: directory.path, reason: "it already holds a checkpoint; --initialize-from starts a new run, so use another --output")
            }
            let checkpoint = try Checkpoint(contentsOf: checkpointURL)
            let saved = try ModelCard(checkpoint: checkpoint, path: checkpointURL.path)
            let sameLatent = switch (saved.latentPoints, card.latentPoints) {
            case (nil, nil): true
            case let (a?, b?): a.hasSameNetworks(as: b)
            default: false
            }
            guard saved.egnn == card.egnn, sameLatent, saved.domain == card.domain,
                  saved.timesteps == card.timesteps, saved.schedule == card.schedule else {
                throw PipelineError.invalidRun(
                    path: directory.path,
                    reason: "it holds a checkpoint of a different model (\(saved.domain), \(saved.modelRows.map { "\($0.0) \($0.1)" }.joined(separator: ", "))); use another --output or the same model options")
            }
            guard checkpoint.state.batches.datasetSize == data.count else {
                throw PipelineError.invalidRun(
                    path: directory.path,
                    reason: "its checkpoint was trained on \(checkpoint.state.batches.datasetSize) graphs but the dataset has \(data.count)")
            }
            if let batchSizeGiven, batchSizeGiven != checkpoint.trainer.batchSize {
                throw PipelineError.invalidRun(
                    path: directory.path,
                    reason: "it was trained with batches of \(checkpoint.trainer.batchSize), not \(batchSizeGiven); the batch size fixes its data order, so resume without --batch or use another --output")
            }
            // A latent-points run takes the training settings given (points and prior draws per step, β).
            var resumed = saved
            resumed.latentPoints = card.latentPoints
            self.card = resumed
            self.trainer = try Trainer(objective: resumed.makeObjective(threads: threads), resumingFrom: checkpoint,
                                       changes: changes, path: checkpointURL.path)
            self.resumeChanges = checkpoint.trainer.applying(changes).descriptions
                + Self.latentChanges(from: saved.latentPoints, to: card.latentPoints)
        } else {
            self.resumeChanges = []
            var card = card
            let trainer = try Trainer(objective: card.makeObjective(threads: threads),
                                      configuration: configuration, datasetSize: data.count)
            if let initializeFrom {
                let source = try TrainedModel(path: initializeFrom, threads: 1)
                let parts = try card.transferableParts(from: source.card)
                var names = parts.map(\.name)
                for part in parts { try trainer.initialize(part.target, with: source.parameters[part.source]) }
                if parts.isEmpty, card.growsEGNN(of: source.card) {
                    // A wider, deeper EGNN that starts as exactly the trained one.
                    let grown = try card.makeDenoiser(threads: 1).grown(
                        from: source.card.egnn, parameters: source.parameters, initial: trainer.state.parameters)
                    try trainer.initialize(grown.indices, with: grown[...])
                    names = ["network, grown from \(source.card.egnn.layers) × \(source.card.egnn.hidden)"]
                }
                guard !names.isEmpty else {
                    throw PipelineError.invalidModel(
                        path: initializeFrom, reason: "none of its networks matches the model to train (\(source.card.modelRows.map { "\($0.0) \($0.1)" }.joined(separator: ", ")))")
                }
                card.initializedFrom = "\(initializeFrom) (step \(source.trainedSteps)): \(names.joined(separator: ", "))"
                initialization = ["step": 0, "event": "initialized from", "path": initializeFrom,
                                  "source_step": source.trainedSteps, "parts": names]
            }
            self.card = card
            self.trainer = trainer
        }
        self.directory = directory
        self.data = data
        self.log = try JSONLinesLog(url: directory.appendingPathComponent("log.jsonl"))
        if let initialization { try log.append(initialization) }
        if !resumeChanges.isEmpty {
            try log.append(["step": trainer.state.step, "event": "settings changed on resume", "changes": resumeChanges])
        }
    }

    /// "prior draws per step 1 → 8" for each latent-points training setting that differs.
    static func latentChanges(from old: LatentPointConfiguration?, to new: LatentPointConfiguration?) -> [String] {
        guard let old, let new else { return [] }
        var result: [String] = []
        func note<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { result.append("\(name) \(a) → \(b)") } }
        note("decoder points per step", old.decoderPointsPerStep.map(String.init) ?? "all", new.decoderPointsPerStep.map(String.init) ?? "all")
        note("prior draws per step", old.priorDraws, new.priorDraws)
        note("phase", old.phase.rawValue, new.phase.rawValue)
        note("prior target", old.target.rawValue, new.target.rawValue)
        note("KL weight", old.klWeight, new.klWeight)
        return result
    }

    /// Steps taken so far.
    public var step: Int { trainer.state.step }

    /// Saves the current state atomically.
    public func saveCheckpoint() throws {
        try trainer.checkpoint(modelConfiguration: card.encodedJSON()).write(to: checkpointURL)
    }

    /// What `train(until:)` reports when it returns.
    public struct Outcome: Sendable {
        public var stepsTaken: Int
        public var interrupted: Bool
        public var seconds: Double
        public var meanRecentLoss: Double
    }

    /// Trains until `targetStep` optimiser steps in total, checkpointing every
    /// `checkpointEvery` steps, at the end and when interrupted (Ctrl-C).
    public func train(until targetStep: Int, checkpointEvery: Int, logEvery: Int = 10,
                      progressEnabled: Bool? = nil) throws -> Outcome {
        let start = Date(), firstStep = step
        var progress = progressEnabled.map { ProgressLine(label: "train", total: targetStep - firstStep, enabled: $0) }
            ?? ProgressLine(label: "train", total: targetStep - firstStep)
        var graphsSinceLog = 0, lossSinceLog = 0.0, stepsSinceLog = 0
        var termsSinceLog: [String: Double] = [:]
        var lastLog = Date()
        var interrupted = false
        while step < targetStep {
            if Interruption.requested { interrupted = true; break }
            let report = try trainer.step(on: data)
            graphsSinceLog += trainer.configuration.batchSize
            lossSinceLog += report.loss
            stepsSinceLog += 1
            for term in trainer.objective.lastLossTerms { termsSinceLog[term.name, default: 0] += term.value }
            if report.step % logEvery == 0 || report.step == targetStep {
                let now = Date()
                var line: [String: Any] = [
                    "step": report.step, "epoch": report.epoch,
                    "loss": lossSinceLog / Double(stepsSinceLog),
                    "gradient_norm": report.gradientNorm, "clipped": report.clipped,
                    "graphs_per_second": Double(graphsSinceLog) / max(now.timeIntervalSince(lastLog), 1e-9),
                    "elapsed_seconds": now.timeIntervalSince(start),
                ]
                for (name, sum) in termsSinceLog { line[name] = sum / Double(stepsSinceLog) }
                try log.append(line)
                graphsSinceLog = 0; lossSinceLog = 0; stepsSinceLog = 0; lastLog = now
                termsSinceLog.removeAll(keepingCapacity: true)
            }
            progress.advance(extra: String(format: "step %d loss %.4f", report.step, meanRecentLoss))
            if report.step % checkpointEvery == 0 { try saveCheckpoint() }
        }
        try saveCheckpoint()
        progress.finish(extra: String(format: "step %d loss %.4f", step, meanRecentLoss))
        return Outcome(stepsTaken: step - firstStep, interrupted: interrupted,
                       seconds: Date().timeIntervalSince(start), meanRecentLoss: meanRecentLoss)
    }

    /// Mean of the trainer's recent losses (the last ≤ 100 steps).
    public var meanRecentLoss: Double {
        let recent = trainer.state.history.recentLosses
        return recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count)
    }
}
