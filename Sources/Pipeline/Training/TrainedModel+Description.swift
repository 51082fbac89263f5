import Diffusion
import Foundation

extension TrainedModel {
    /// `rgdm info` of a checkpoint: its model, diffusion process and training state as
    /// JSON, with the metrics an evaluation recorded beside it (`metrics.json`).
    public static func describe(checkpointAt path: String) throws -> [String: Any] {
        let checkpoint = try Self.checkpoint(at: path)
        let card = try ModelCard(checkpoint: checkpoint, path: path), state = checkpoint.state
        let parameterCount = try card.makeModel(threads: 1).parameterCount
        var result: [String: Any] = [
            "kind": "checkpoint", "path": path, "domain": card.domain.rawValue,
            "model": card.summary(parameters: parameterCount),
            "diffusion": ["schedule": card.schedule.rawValue, "timesteps": card.timesteps] as [String: Any],
            "training": [
                "steps": state.step, "epoch": state.batches.epoch, "batch_size": checkpoint.trainer.batchSize,
                "weights_only": checkpoint.isWeightsOnly, "precision": checkpoint.precision.rawValue,
                "learning_rate": Double(checkpoint.trainer.optimizer.learningRate),
                "ema_decay": Double(checkpoint.trainer.emaDecay),
                "recent_loss": state.history.recentLosses.isEmpty ? NSNull() : state.history.recentLosses.reduce(0, +) / Double(state.history.recentLosses.count),
                "epoch_mean_losses": state.history.epochMeanLosses,
                "dataset": card.dataset, "split": card.split, "graphs": state.batches.datasetSize, "seed": String(checkpoint.trainer.seed),
                "initialized_from": card.initializedFrom.map { $0 as Any } ?? NSNull(),
            ] as [String: Any],
            "code_version": card.codeVersion,
        ]
        if card.domain == .molecules { result["atomic_numbers"] = card.atomicNumbers }
        if let c = card.condition {
            result["condition"] = [
                "properties": c.properties, "means": c.normalization.means, "mean_absolute_deviations": c.normalization.deviations,
                "condition_dropout": c.training.dropout, "early_stop": c.training.earlyStop,
                "labelled_fraction": c.labels.labelledFraction, "pseudo_label_noise": c.labels.noise,
                "property_models": c.labels.propertyModels, "labelled_molecules": c.labels.labelledMolecules.count,
            ] as [String: Any]
        }
        if let c = card.classCondition {
            var classes: [String: Any] = ["classes": c.categories, "condition_dropout": c.training.dropout]
            if let labels = c.labels {
                classes["labelled_fraction"] = labels.labelledFraction
                classes["labelled_shapes"] = "\(labels.labelledShapes) of \(labels.trainingShapes)"
                classes["pseudo_labels"] = "most probable class by \(labels.classifier)"
                if let agreement = labels.pseudoLabelAgreement { classes["pseudo_label_agreement"] = agreement }
            }
            result["class_condition"] = classes
        }
        result["node_counts"] = ["min": card.nodeCounts.counts.first ?? 0, "max": card.nodeCounts.counts.last ?? 0]
        // Metrics recorded beside the checkpoint by evaluations of its samples.
        let metricsURL = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("metrics.json")
        if let data = try? Data(contentsOf: metricsURL), let metrics = try? JSONSerialization.jsonObject(with: data) {
            result["metrics"] = metrics
        }
        return result
    }
}
