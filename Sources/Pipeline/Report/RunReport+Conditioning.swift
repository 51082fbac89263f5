import Foundation

extension RunReport {
    /// Adds what a conditional draw was asked and how the model was trained: the target (or
    /// the targets drawn from the data, summarised in data units), the guidance scale, the
    /// labelled fraction, the pseudo-label noise, the property models and the early stop.
    mutating func addCondition(_ draw: ConditionalSampling.Draw) {
        let c = draw.condition
        let targets = draw.targets.compactMap { $0 }
        let request: String, requestJSON: Any
        switch draw.request {
        case .unconditional: request = "none (null condition ∅)"; requestJSON = "unconditional"
        case .fromData: request = "drawn with the atom count from the training labels"; requestJSON = "from data"
        case .pairs: request = "one (atom count, target) pair given per molecule"; requestJSON = "pairs"
        case .target(let values):
            request = zip(c.properties, values).map { "\($0) = \(String(format: "%.6g", $1))" }.joined(separator: ", ")
            requestJSON = values
        }
        var rows: [(String, String)] = [
            ("properties", c.properties.joined(separator: ", ")), ("target", request),
            ("guidance scale w", String(format: "%g", draw.guidance)),
            ("labelled fraction F", String(format: "%g", c.labels.labelledFraction)),
            ("pseudo-label noise ν", c.labels.noise.map { String(format: "%g", $0) }.joined(separator: ", ")),
            ("property models", c.labels.propertyModels.isEmpty ? "none (all labels true)" : c.labels.propertyModels.joined(separator: ", ")),
            ("condition dropout", String(format: "%g", c.training.dropout)), ("early stop t0", "\(c.training.earlyStop)"),
        ]
        var targetSummary: [String: Any] = [:]
        var drawnPerMolecule = true
        if case .target = draw.request { drawnPerMolecule = false }
        if drawnPerMolecule, !targets.isEmpty {
            for (k, name) in c.properties.enumerated() {
                let values = targets.map { $0[k] }
                let mean = values.reduce(0, +) / Double(values.count)
                rows.append(("targets of \(name): mean, min, max",
                             String(format: "%.6g, %.6g, %.6g", mean, values.min() ?? .nan, values.max() ?? .nan)))
                targetSummary[name] = ["mean": mean, "min": values.min() ?? 0, "max": values.max() ?? 0]
            }
        }
        tables.insert(Table(title: "Condition", rows: rows), at: 0)
        summary += " Conditioned on \(c.properties.joined(separator: ", ")): \(request), guidance w = \(String(format: "%g", draw.guidance)), trained with labelled fraction \(String(format: "%g", c.labels.labelledFraction))."
        json["condition"] = [
            "properties": c.properties, "target": requestJSON, "guidance": draw.guidance,
            "labelled_fraction": c.labels.labelledFraction, "pseudo_label_noise": c.labels.noise,
            "property_models": c.labels.propertyModels, "condition_dropout": c.training.dropout,
            "early_stop": c.training.earlyStop, "drawn_targets": targetSummary,
            "normalization": ["means": c.normalization.means, "mean_absolute_deviations": c.normalization.deviations],
        ] as [String: Any]
    }
}
