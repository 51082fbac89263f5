import Foundation

extension RunReport {
    /// The report of `rgdm train-property` on a shape set: the model, and its held-out scores
    /// (accuracy and confusion matrices of a classifier; MAE and R² of a regressor).
    static func shapeModel(_ card: ShapeModelCard, output: String, step: Int, seconds: Double) -> RunReport {
        var report = RunReport(
            title: "rgdm shape model: \(URL(fileURLWithPath: output).lastPathComponent)",
            summary: "\(card.task.propertyName) from \(card.dataset) (split \(card.split)): \(card.modelDescription); \(Int(seconds.rounded())) s.")
        var json: [String: Any] = [
            "kind": "shape model", "output": output, "property": card.task.propertyName, "model": card.modelDescription,
            "architecture": "pointnet", "steps": step, "seconds": seconds, "points": card.points,
            "normalization": card.normalization.rawValue, "rotated_about_up_axis": card.augmentation.rotatesAboutUpAxis,
        ]
        report.tables = [Table(title: "Model", rows: [
            ("predicts", card.task.propertyName), ("model", card.modelDescription), ("steps", "\(step)"),
        ])]
        report.addShapeScores(card.scores, task: card.task, json: &json)
        report.json = json
        return report
    }

    /// The held-out scores of a shape or latent property model: tables, confusion figures, JSON.
    mutating func addShapeScores(_ scores: ShapeModelScores?, task: ShapeTask, json: inout [String: Any]) {
        switch scores {
        case let .classification(scores):
            let categories: [String] = if case let .classification(names) = task { names } else { [] }
            json["categories"] = categories
            json["scores"] = scores.map {
                ["split": $0.split, "count": $0.count, "accuracy": $0.accuracy, "confusion": $0.confusion,
                 "recall": Dictionary(uniqueKeysWithValues: zip($0.categories, $0.recall))] as [String: Any]
            }
            tables.append(Table(title: "Held-out accuracy", rows: scores.map { ("\($0.split) (\($0.count))", String(format: "%.1f %%", 100 * $0.accuracy)) }))
            for score in scores {
                tables.append(Table(title: "Recall per class, \(score.split)", rows: zip(score.categories, score.recall).map {
                    ($0, String(format: "%.1f %%", 100 * $1))
                }))
                figures.append(Figure(caption: "Confusion matrix, \(score.split) (rows: true class)",
                                      svg: SVGConfusionMatrix(categories: score.categories, counts: score.confusion).render()))
            }
        case let .regression(scores):
            if case let .regression(_, mean, scale) = task { json["label_mean"] = mean; json["label_scale"] = scale }
            json["scores"] = scores.map { ["split": $0.split, "count": $0.count, "mae": $0.meanAbsoluteError, "r2": $0.rSquared] as [String: Any] }
            tables.append(Table(title: "Held-out scores", rows: scores.map {
                ("\($0.split) (\($0.count))", String(format: "MAE %.4g, R² %.4f", $0.meanAbsoluteError, $0.rSquared))
            }))
        case nil:
            break
        }
    }

    /// The report of a latent property model's training run (`rgdm train-property --noise-aware --guides`).
    static func latentPropertyModel(_ card: LatentPropertyCard, output: String, step: Int, seconds: Double) -> RunReport {
        var report = RunReport(
            title: "rgdm latent property model: \(URL(fileURLWithPath: output).lastPathComponent)",
            summary: "\(card.task.propertyName) from \(card.dataset) (split \(card.split)): \(card.modelDescription); \(Int(seconds.rounded())) s.")
        var json: [String: Any] = [
            "kind": "latent property model", "output": output, "property": card.task.propertyName, "model": card.modelDescription,
            "architecture": "latent-mlp", "steps": step, "seconds": seconds, "latents_of": card.space.model,
            "encoder_fingerprint": card.space.encoderFingerprint, "noise_aware": card.noise != nil,
            "label_normalization": card.labelNormalization.rawValue,
        ]
        report.tables = [Table(title: "Model", rows: [
            ("predicts", card.task.propertyName), ("model", card.modelDescription), ("steps", "\(step)"),
            ("scores", "at t = 0: clean latents of the held-out clouds"),
        ])]
        report.addShapeScores(card.scores, task: card.task, json: &json)
        report.json = json
        return report
    }
}
