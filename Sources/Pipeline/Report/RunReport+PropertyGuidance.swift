import Foundation

extension RunReport {
    /// Adds what a property-guided run used and what its property model predicts for the samples
    /// (`predictions`, one per molecule, at t = 0).
    mutating func add(_ run: GuidedRun, predictions: [Double]) {
        let (mean, sd, mae) = Self.moments(predictions, target: run.target)
        tables.append(Table(title: "Property guidance", rows: [
            ("property", run.property.property),
            ("target a", String(format: "%.6g", run.target)),
            ("guidance w", String(format: "%.6g", run.weight)),
            ("property model", "\(run.path): \(run.property.card.modelDescription)"),
            ("predicted property of the samples", String(format: "mean %.4g, sd %.4g, MAE to a %.4g", mean, sd, mae)),
        ]))
        summary += String(format: " Guided toward %@ = %.6g with w = %.6g by %@.", run.property.property, run.target, run.weight, run.path)
        // A diverged chain gives non-finite predictions, which JSON cannot hold: null.
        func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        json["property_guidance"] = [
            "property": run.property.property, "target": run.target, "guidance": run.weight, "property_model": run.path,
            "property_model_description": run.property.card.modelDescription,
            "predicted_mean": number(mean), "predicted_sd": number(sd), "predicted_mae_to_target": number(mae),
        ] as [String: Any]
    }

    /// One line for the terminal: the target, the guidance and the samples' predicted property.
    static func guidanceSummary(_ run: GuidedRun, predictions: [Double]) -> String {
        let (mean, sd, mae) = moments(predictions, target: run.target)
        return String(format: "guided toward %@ = %.6g (w = %.6g, %@): predicted mean %.4g, sd %.4g, MAE to target %.4g",
                      run.property.property, run.target, run.weight, run.path, mean, sd, mae)
    }

    /// Adds an oracle's predictions for the samples (`rgdm sample --oracle`), against `target` when guided.
    mutating func add(oracle: some PropertyModelCarrier, path: String, predictions: [Double], target: Double?) {
        let (mean, sd, mae) = Self.moments(predictions, target: target ?? .nan)
        var rows = [("oracle", "\(path): \(oracle.card.property), \(oracle.card.modelDescription)"),
                    ("predicted mean", String(format: "%.4g", mean)), ("predicted sd", String(format: "%.4g", sd))]
        if target != nil { rows.append(("MAE to the target", String(format: "%.4g", mae))) }
        tables.append(Table(title: "Oracle", rows: rows))
        func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        json["oracle"] = ["property_model": path, "property": oracle.card.property, "predicted_mean": number(mean),
                          "predicted_sd": number(sd), "mae_to_target": number(mae)] as [String: Any]
    }

    /// One line for the terminal: the oracle's view of the samples.
    static func oracleSummary(_ oracle: some PropertyModelCarrier, path: String, predictions: [Double], target: Double?) -> String {
        let (mean, sd, mae) = moments(predictions, target: target ?? .nan)
        return String(format: "oracle %@ (%@): mean %.4g, sd %.4g", path, oracle.card.property, mean, sd)
            + (target == nil ? "" : String(format: ", MAE to target %.4g", mae))
    }

    private static func moments(_ values: [Double], target: Double) -> (mean: Double, sd: Double, mae: Double) {
        let n = Double(max(values.count, 1)), mean = values.reduce(0, +) / n
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        return (mean, sd, values.reduce(0) { $0 + abs($1 - target) } / n)
    }
}
