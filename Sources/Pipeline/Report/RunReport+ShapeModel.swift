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
        switch card.scores {
        case let .classification(scores):
            json["categories"] = card.categories ?? []
            json["scores"] = scores.map {
                ["split": $0.split, "count": $0.count, "accuracy": $0.accuracy, "confusion": $0.confusion,
                 "recall": Dictionary(uniqueKeysWithValues: zip($0.categories, $0.recall))] as [String: Any]
            }
            report.tables.append(Table(title: "Held-out accuracy", rows: scores.map { ("\($0.split) (\($0.count))", String(format: "%.1f %%", 100 * $0.accuracy)) }))
            for score in scores {
                report.tables.append(Table(title: "Recall per class, \(score.split)", rows: zip(score.categories, score.recall).map {
                    ($0, String(format: "%.1f %%", 100 * $1))
                }))
                report.figures.append(Figure(caption: "Confusion matrix, \(score.split) (rows: true class)",
                                             svg: SVGConfusionMatrix(categories: score.categories, counts: score.confusion).render()))
            }
        case let .regression(scores):
            if case let .regression(_, mean, scale) = card.task { json["label_mean"] = mean; json["label_scale"] = scale }
            json["scores"] = scores.map { ["split": $0.split, "count": $0.count, "mae": $0.meanAbsoluteError, "r2": $0.rSquared] as [String: Any] }
            report.tables.append(Table(title: "Held-out scores", rows: scores.map {
                ("\($0.split) (\($0.count))", String(format: "MAE %.4g, R² %.4f", $0.meanAbsoluteError, $0.rSquared))
            }))
        case nil:
            break
        }
        report.json = json
        return report
    }
}
