import Diffusion
import Foundation

extension LatentPropertyModel {
    /// A JSON-ready description of the latent property model at `path` (`rgdm info`), nil when
    /// the checkpoint there is not one.
    static func describe(_ path: String) throws -> [String: Any]? {
        let checkpoint = try TrainedModel.checkpoint(at: path)
        guard LatentPropertyCard.isStored(in: checkpoint) else { return nil }
        let card = try LatentPropertyCard(checkpoint: checkpoint, path: path)
        var result: [String: Any] = [
            "kind": "latent property model", "path": path, "property": card.task.propertyName, "architecture": "latent-mlp",
            "model": card.modelDescription, "label_normalization": card.labelNormalization.rawValue,
            "latents": ["model": card.space.model, "width": card.space.latentWidth, "encoder_fingerprint": card.space.encoderFingerprint] as [String: Any],
            "training": ["dataset": card.dataset, "split": card.split, "steps": checkpoint.state.step] as [String: Any],
        ]
        if let noise = card.noise {
            result["noise"] = ["schedule": noise.schedule.rawValue, "timesteps": noise.timesteps, "precision": noise.precision] as [String: Any]
        }
        if case let .classification(categories) = card.task { result["categories"] = categories }
        switch card.scores {
        case let .classification(scores):
            result["scores_t0"] = Dictionary(uniqueKeysWithValues: scores.map { ($0.split, ["count": $0.count, "accuracy": $0.accuracy] as [String: Any]) })
        case let .regression(scores):
            result["scores_t0"] = Dictionary(uniqueKeysWithValues: scores.map {
                ($0.split, ["count": $0.count, "mae": $0.meanAbsoluteError, "r2": $0.rSquared] as [String: Any])
            })
        case nil:
            break
        }
        return result
    }
}
