import Foundation

extension RunReport {
    /// The report of `rgdm train-property`: the model, its standardisation and its held-out scores.
    static func propertyModel(_ card: PropertyModelCard, output: String, step: Int, seconds: Double) -> RunReport {
        var report = RunReport(
            title: "rgdm property model: \(URL(fileURLWithPath: output).lastPathComponent)",
            summary: "\(card.property) from \(card.dataset) (split \(card.split)): \(card.modelDescription); \(Int(seconds.rounded())) s.")
        report.tables = [
            Table(title: "Model", rows: [
                ("property", card.property), ("model", card.modelDescription),
                ("label mean", String(format: "%.6g", card.labelMean)), ("label scale", String(format: "%.6g", card.labelScale)),
                ("vocabulary", card.atomicNumbers.map(String.init).joined(separator: ", ")), ("steps", "\(step)"),
            ]),
            Table(title: "Held-out scores", rows: card.scores.map {
                ("\($0.split) (\($0.count))", String(format: "MAE %.4g, R² %.4f", $0.meanAbsoluteError, $0.rSquared))
            }),
        ]
        report.json = [
            "kind": "property model", "output": output, "property": card.property, "model": card.modelDescription,
            "architecture": card.architecture.rawValue, "label_mean": card.labelMean, "label_scale": card.labelScale,
            "steps": step, "seconds": seconds,
            "scores": card.scores.map { ["split": $0.split, "count": $0.count, "mae": $0.meanAbsoluteError, "r2": $0.rSquared] as [String: Any] },
        ]
        return report
    }
}
