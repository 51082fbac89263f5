import Foundation

/// A property model's predictions for a run's samples, summarised over the finite ones (a chain
/// that diverged gives a molecule whose prediction is not a number, or far out: the median shows it).
struct PredictionSummary {
    var count: Int
    var finite: Int
    var mean: Double, sd: Double, median: Double
    /// Mean |prediction − target| over the finite predictions; NaN without a target.
    var maeToTarget: Double

    init(_ predictions: [Double], target: Double?) {
        let values = predictions.filter(\.isFinite).sorted()
        let n = Double(max(values.count, 1)), mean = values.reduce(0, +) / n
        count = predictions.count
        finite = values.count
        self.mean = values.isEmpty ? .nan : mean
        sd = values.isEmpty ? .nan : (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        median = values.isEmpty ? .nan : values.count % 2 == 1 ? values[values.count / 2]
            : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        maeToTarget = target.map { a in values.isEmpty ? .nan : values.reduce(0) { $0 + abs($1 - a) } / n } ?? .nan
    }

    /// "mean 80.1, median 79.8, sd 6.2, MAE to the target 9.9 (98 of 100 finite)".
    var text: String {
        String(format: "mean %.4g, median %.4g, sd %.4g", mean, median, sd)
            + (maeToTarget.isNaN ? "" : String(format: ", MAE to the target %.4g", maeToTarget))
            + (finite == count ? "" : " (\(finite) of \(count) finite)")
    }

    var json: [String: Any] {
        func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }   // JSON holds no NaN
        return ["count": count, "finite": finite, "mean": number(mean), "median": number(median), "sd": number(sd),
                "mae_to_target": number(maeToTarget)]
    }
}

extension RunReport {
    /// Adds what a property-guided run used and what its property model predicts for the samples
    /// (`predictions`, one per molecule, at t = 0).
    mutating func add(_ run: GuidedRun, predictions: [Double]) {
        let summary = PredictionSummary(predictions, target: run.target)
        tables.append(Table(title: "Property guidance", rows: [
            ("property", run.property.property),
            ("target a", String(format: "%.6g", run.target)),
            ("guidance w", String(format: "%.6g", run.weight)),
            ("cap on a molecule's term (RMS)", run.maximumRMS.map { String(format: "%.6g", $0) } ?? "none"),
            ("property model", "\(run.path): \(run.property.card.modelDescription)"),
            ("molecule sizes from", run.sizeSource),
            ("its predictions for the samples", summary.text),
        ]))
        self.summary += String(format: " Guided toward %@ = %.6g with w = %.6g by %@.", run.property.property, run.target, run.weight, run.path)
        json["property_guidance"] = [
            "property": run.property.property, "target": run.target, "guidance": run.weight, "property_model": run.path,
            "guidance_clip": run.maximumRMS.map { $0 as Any } ?? NSNull(),
            "property_model_description": run.property.card.modelDescription, "predictions": summary.json,
            "sizes": run.sizeSource,
        ] as [String: Any]
    }

    /// Adds an oracle's predictions for the samples (`rgdm sample --oracle`), against `target` when guided.
    mutating func add(oracle: some PropertyModelCarrier, path: String, predictions: [Double], target: Double?) {
        let summary = PredictionSummary(predictions, target: target)
        tables.append(Table(title: "Oracle", rows: [
            ("oracle", "\(path): \(oracle.card.property), \(oracle.card.modelDescription)"),
            ("its predictions for the samples", summary.text),
        ]))
        json["oracle"] = ["property_model": path, "property": oracle.card.property, "predictions": summary.json] as [String: Any]
    }

    /// One line for the terminal: the target, the guidance and the guiding model's view of the samples.
    static func guidanceSummary(_ run: GuidedRun, predictions: [Double]) -> String {
        String(format: "guided toward %@ = %.6g (w = %.6g, %@): ", run.property.property, run.target, run.weight, run.path)
            + PredictionSummary(predictions, target: run.target).text
    }

    /// One line for the terminal: the oracle's view of the samples.
    static func oracleSummary(_ oracle: some PropertyModelCarrier, path: String, predictions: [Double], target: Double?) -> String {
        "oracle \(path) (\(oracle.card.property)): " + PredictionSummary(predictions, target: target).text
    }
}
