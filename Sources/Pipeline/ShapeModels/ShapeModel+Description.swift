import Diffusion
import Foundation

extension ShapeModel {
    /// A JSON-ready description of the shape model at `path` (`rgdm info`), nil when the
    /// checkpoint there is not a shape model's.
    static func describe(_ path: String) throws -> [String: Any]? {
        let checkpoint = try TrainedModel.checkpoint(at: path)
        guard ShapeModelCard.isStored(in: checkpoint) else { return nil }
        let card = try ShapeModelCard(checkpoint: checkpoint, path: path)
        var result: [String: Any] = [
            "kind": "shape model", "path": path, "property": card.task.propertyName, "architecture": "pointnet",
            "model": card.modelDescription, "points": card.points, "normalization": card.normalization.rawValue,
            "rotated_about_up_axis": card.augmentation.rotatesAboutUpAxis,
            "training": ["dataset": card.dataset, "split": card.split, "steps": checkpoint.state.step] as [String: Any],
        ]
        if let categories = card.categories { result["categories"] = categories }
        switch card.scores {
        case let .classification(scores):
            result["scores"] = Dictionary(uniqueKeysWithValues: scores.map {
                ($0.split, ["count": $0.count, "accuracy": $0.accuracy, "confusion": $0.confusion] as [String: Any])
            })
        case let .regression(scores):
            result["scores"] = Dictionary(uniqueKeysWithValues: scores.map {
                ($0.split, ["count": $0.count, "mae": $0.meanAbsoluteError, "r2": $0.rSquared] as [String: Any])
            })
        case nil:
            break
        }
        return result
    }
}
