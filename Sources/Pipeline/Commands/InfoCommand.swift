import ArgumentParser
import Diffusion
import Foundation
import HDF5

/// `rgdm info PATH`: what a dataset or checkpoint holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a dataset (sizes, splits, properties) or a checkpoint (model, training, metrics).")

    @Argument(help: "An HDF5 dataset from 'rgdm preprocess' or a checkpoint.rgdm.")
    var path: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let summary = try Self.describe(path)
        if json {
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            Self.printTable(summary, indent: "")
        }
    }

    /// A JSON-ready description of the file at `path`.
    static func describe(_ path: String) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidDataset(path: path, reason: "no such file")
        }
        if HDF5File.isHDF5(path) { return try DatasetDescription.describe(path) }
        return try describeCheckpoint(path)
    }

    private static func describeCheckpoint(_ path: String) throws -> [String: Any] {
        let model = try TrainedModel(path: path, threads: 1)
        let card = model.card, state = model.checkpoint.state
        var result: [String: Any] = [
            "kind": "checkpoint", "path": path, "domain": card.domain.rawValue,
            "model": card.summary(parameters: model.parameterCount),
            "diffusion": ["schedule": card.schedule.rawValue, "timesteps": card.timesteps] as [String: Any],
            "training": [
                "steps": state.step, "epoch": state.batches.epoch, "batch_size": model.checkpoint.trainer.batchSize,
                "weights_only": model.checkpoint.isWeightsOnly, "precision": model.checkpoint.precision.rawValue,
                "learning_rate": Double(model.checkpoint.trainer.optimizer.learningRate),
                "ema_decay": Double(model.checkpoint.trainer.emaDecay),
                "recent_loss": state.history.recentLosses.isEmpty ? NSNull() : state.history.recentLosses.reduce(0, +) / Double(state.history.recentLosses.count),
                "epoch_mean_losses": state.history.epochMeanLosses,
                "dataset": card.dataset, "split": card.split, "graphs": state.batches.datasetSize, "seed": String(model.checkpoint.trainer.seed),
                "initialized_from": card.initializedFrom.map { $0 as Any } ?? NSNull(),
            ] as [String: Any],
            "code_version": card.codeVersion,
        ]
        if card.domain == .molecules { result["atomic_numbers"] = card.atomicNumbers }
        result["node_counts"] = ["min": card.nodeCounts.counts.first ?? 0, "max": card.nodeCounts.counts.last ?? 0]
        // Metrics recorded beside the checkpoint by evaluations of its samples.
        let metricsURL = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("metrics.json")
        if let data = try? Data(contentsOf: metricsURL), let metrics = try? JSONSerialization.jsonObject(with: data) {
            result["metrics"] = metrics
        }
        return result
    }

    private static func printTable(_ dictionary: [String: Any], indent: String) {
        for key in dictionary.keys.sorted() {
            let value = dictionary[key]!
            if let nested = value as? [String: Any] {
                print("\(indent)\(key):")
                printTable(nested, indent: indent + "  ")
            } else if let list = value as? [Any], list.count > 12 {
                print("\(indent)\(key): [\(list.prefix(6).map { "\($0)" }.joined(separator: ", ")), … \(list.count) values]")
            } else {
                print("\(indent)\(key): \(value)")
            }
        }
    }
}
