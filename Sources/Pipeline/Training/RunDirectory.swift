import Diffusion
import Foundation

/// A training or fine-tuning run's folder and the files in it, named in one place:
///
///     checkpoint.rgdm   model card, weights, optimiser, EMA and RNG state (written atomically)
///     log.jsonl         one JSON line per logged step or event
///     run-<step>.json   the arguments and code version of each invocation
///     report.html/.json the run's report
public struct RunDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    public var checkpointURL: URL { url.appendingPathComponent("checkpoint.rgdm") }
    public var logURL: URL { url.appendingPathComponent("log.jsonl") }
    /// The report's base name: `report.html` and `report.json`.
    public var reportBase: URL { url.appendingPathComponent("report") }
    public var name: String { url.lastPathComponent }

    /// Whether the folder holds a checkpoint (a run to resume).
    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpointURL.path) }

    /// Creates the folder if needed.
    public func create() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func loadCheckpoint() throws -> Checkpoint { try Checkpoint(contentsOf: checkpointURL) }

    /// The card of the model saved here, nil when the folder holds no checkpoint.
    public func savedCard() throws -> ModelCard? {
        guard hasCheckpoint else { return nil }
        return try ModelCard(checkpoint: loadCheckpoint(), path: checkpointURL.path)
    }

    /// Saves `trainer`'s state with `card` and the feeding loop's `runState`, atomically.
    public func save(_ trainer: Trainer, card: ModelCard, runState: String? = nil) throws {
        var checkpoint = trainer.checkpoint(modelConfiguration: try card.encodedJSON())
        checkpoint.runState = runState
        try checkpoint.write(to: checkpointURL)
    }

    /// The run's log, opened for appending.
    public func openLog() throws -> JSONLinesLog { try JSONLinesLog(url: logURL) }

    /// Records this invocation's arguments as `run-<step>.json`.
    public func recordInvocation(command: String, step: Int) throws {
        try RunRecord(command: command).write(into: url, name: "run-\(step).json")
    }
}
