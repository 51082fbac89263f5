import Diffusion
import Foundation

extension PropertyModelFile {
    /// A JSON-ready description of the property model at `path` (`rgdm info`), nil when the
    /// checkpoint there is not a property model's.
    static func describe(_ path: String) throws -> [String: Any]? {
        let checkpoint = try TrainedModel.checkpoint(at: path)
        guard let card = try? PropertyModelCard(checkpoint: checkpoint, path: path) else { return nil }
        var result: [String: Any] = [
            "kind": "property model", "path": path, "property": card.property, "architecture": card.architecture.rawValue,
            "model": card.modelDescription, "label_mean": card.labelMean, "label_scale": card.labelScale,
            "atomic_numbers": card.atomicNumbers, "includes_atomic_number": card.includesAtomicNumber,
            "training": ["dataset": card.dataset, "split": card.split, "steps": checkpoint.state.step,
                         "weights_only": checkpoint.isWeightsOnly] as [String: Any],
            "scores": Dictionary(uniqueKeysWithValues: card.scores.map {
                ($0.split, ["count": $0.count, "mae": $0.meanAbsoluteError, "r2": $0.rSquared] as [String: Any])
            }),
        ]
        if let noise = card.noise {
            result["noise_aware"] = ["schedule": noise.schedule.rawValue, "timesteps": noise.timesteps, "precision": noise.precision] as [String: Any]
        }
        return result
    }
}
