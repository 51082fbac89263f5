import Chem
import Foundation

/// What `rgdm evaluate conditional` prints and writes: the model's MAE beside the bounds and
/// EDM's Table 3, in EDM's units, then EDM's quality metrics of the same molecules.
struct ConditionalEvaluationSummary {
    var model: String
    var oracle: String
    /// The dataset column scored.
    var property: String
    var targets: String
    var outcome: ConditionalEvaluation.Outcome
    var baselines: ConditionalBaselines?
    /// Where the bounds were computed ("test of qm9.h5, #Atoms fitted on train").
    var baselineSource: String?

    private var edm: EDMConditionalResults? { EDMConditionalResults.forProperty(property) }
    /// EDM's units per dataset unit (1 when EDM has no row for the property).
    private var scale: Double { edm?.scale ?? 1 }
    private var unit: String { edm.map { $0.unit } ?? "dataset units" }

    /// The rows: name, rgdm's value in EDM's units (nil: not computed), EDM's.
    var rows: [(name: String, value: Double?, edm: Double?)] {
        [("Naive (shuffled labels)", baselines?.naive, edm?.naive), ("#Atoms", baselines?.atoms, edm?.atoms),
         ("conditional model", outcome.adherence.meanAbsoluteError, edm?.edm),
         ("oracle's own error (held-out data)", baselines?.oracle, edm?.oracle)]
            .map { ($0.0, $0.1.map { $0 * scale }, $0.2) }
    }

    func markdown() -> String {
        let a = outcome.adherence, m = outcome.metrics
        func cell(_ value: Double?) -> String { value.map { String(format: "%.4g", $0) } ?? "–" }
        var lines = [
            "Conditional MAE of \(property) (\(unit)): \(a.count) molecules of \(model) at \(targets), scored by the oracle \(oracle)",
            "(it read \(a.read) of \(a.count); unread molecules are left out)",
            "",
            "| \(edm?.symbol ?? property) MAE (\(unit)) | rgdm | EDM (Hoogeboom et al. 2022, Table 3) |",
            "|---|---|---|",
        ]
        lines += rows.map { "| \($0.name) | \(cell($0.value)) | \(cell($0.edm)) |" }
        lines.append("")
        if let baselines, let baselineSource {
            lines.append("Bounds on \(baselines.heldOut) held-out molecules (\(baselineSource); #Atoms fitted on \(baselines.fitted))"
                         + (baselines.unread > 0 ? ", \(baselines.unread) the oracle could not read left out" : "") + ".")
        } else {
            lines.append("Bounds: give --data (a molecule set with the property) to compute Naive, #Atoms and the oracle's own error.")
        }
        let fraction = outcome.draw.condition.labels.labelledFraction
        if outcome.draw.request == .fromData && fraction < 1 {
            lines.append(String(format: "The model trained with labelled fraction %g: most of its (size, label) pairs are pseudo-labels, ", fraction)
                         + "which an oracle like its property model meets too easily; --targets-from split draws true labels.")
        }
        lines.append(String(format: "Molecules read: targets' mean %.4g, oracle's predictions' mean %.4g (bias %+.3g), spread %.4g (dataset units).",
                            a.targetMean, a.mean, a.mean - a.targetMean, a.spread))
        lines.append(String(format: "atom stability %.4f  molecule stability %.4f  validity %.4f  uniqueness %.4f",
                            m.atomStability, m.moleculeStability, m.validity, m.uniqueness)
                     + (m.novelty.map { String(format: "  novelty %.4f", $0) } ?? ""))
        return lines.joined(separator: "\n")
    }

    func report() -> RunReport {
        let a = outcome.adherence, m = outcome.metrics
        var report = RunReport(title: "rgdm conditional evaluation: \(property)",
                               summary: "\(a.count) molecules of \(model) at \(targets), scored by the oracle \(oracle) (read \(a.read)).")
        func cell(_ value: Double?) -> String { value.map { String(format: "%.4g", $0) } ?? "–" }
        report.tables = [
            .init(title: "MAE (\(unit)): rgdm, and EDM's Table 3", rows: rows.map { ($0.name, "\(cell($0.value))   (EDM \(cell($0.edm)))") }),
            .init(title: "Samples", rows: [
                ("atom stability", String(format: "%.4f", m.atomStability)), ("molecule stability", String(format: "%.4f", m.moleculeStability)),
                ("validity", String(format: "%.4f", m.validity)), ("uniqueness", String(format: "%.4f", m.uniqueness)),
                ("novelty", m.novelty.map { String(format: "%.4f", $0) } ?? "– (no --reference)"),
                ("oracle's predictions: mean, spread", String(format: "%.4g, %.4g", a.mean, a.spread)),
            ]),
        ]
        report.addCondition(outcome.draw)
        var json: [String: Any] = [
            "kind": "conditional-evaluation", "model": model, "oracle": oracle, "property": property, "targets": targets,
            "unit": unit, "scale_to_unit": scale, "molecules": a.count, "read": a.read,
            "mae": JSONNumber.of(a.meanAbsoluteError), "prediction_mean": JSONNumber.of(a.mean), "target_mean": JSONNumber.of(a.targetMean), "prediction_spread": JSONNumber.of(a.spread),
            "metrics": ["atom_stability": m.atomStability, "molecule_stability": m.moleculeStability, "validity": m.validity,
                        "uniqueness": m.uniqueness, "novelty": m.novelty ?? NSNull()] as [String: Any],
        ]
        if let baselines {
            json["bounds"] = ["naive": baselines.naive, "atoms": baselines.atoms, "oracle": baselines.oracle,
                              "held_out": baselines.heldOut, "unread": baselines.unread, "fitted": baselines.fitted,
                              "source": baselineSource ?? ""] as [String: Any]
        }
        if let edm { json["edm"] = ["mae": edm.edm, "atoms": edm.atoms, "naive": edm.naive, "oracle": edm.oracle, "unit": edm.unit] }
        report.json.merge(json) { _, new in new }
        return report
    }
}

/// Numbers for `JSONSerialization`, which refuses NaN and infinities: those become null.
enum JSONNumber {
    static func of(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
    /// Back from JSON: null (or anything not a number) is NaN.
    static func double(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? .nan }
}
