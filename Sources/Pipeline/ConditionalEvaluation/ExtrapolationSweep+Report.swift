import Chem
import Foundation

extension ExtrapolationSweep {
    /// The columns of the table: heading, the point's value, decimals.
    private static let columns: [(heading: String, value: (Point) -> Double?, digits: Int)] = [
        ("target", { $0.target }, 4), ("data quantile", { $0.quantile }, 3), ("read", { Double($0.adherence.read) }, 0),
        ("oracle mean", { $0.adherence.mean }, 4), ("oracle spread", { $0.adherence.spread }, 4),
        ("MAE", { $0.adherence.meanAbsoluteError }, 4), ("atom stability", { $0.metrics.atomStability }, 3),
        ("molecule stability", { $0.metrics.moleculeStability }, 3), ("validity", { $0.metrics.validity }, 3),
        ("uniqueness", { $0.metrics.uniqueness }, 3), ("novelty", { $0.metrics.novelty }, 3),
    ]

    /// The finished points of `model`, targets ascending.
    func points(of model: Model) -> [Point] {
        points.filter { $0.model == model.path }.sorted { $0.target < $1.target }
    }

    /// A Markdown table of every finished point, model by model, then where each model's data ends.
    public func markdown() -> String {
        func cell(_ value: Double?, _ digits: Int) -> String {
            guard let value, value.isFinite else { return "–" }
            return String(format: "%.\(digits)f", value)
        }
        var lines = ["| model | F | " + Self.columns.map(\.heading).joined(separator: " | ") + " |",
                     "|---|---|" + String(repeating: "---:|", count: Self.columns.count)]
        for model in models {
            for point in points(of: model) {
                lines.append("| \(model.name) | \(cell(model.labelledFraction, 3)) | "
                             + Self.columns.map { cell($0.value(point), $0.digits) }.joined(separator: " | ") + " |")
            }
        }
        lines.append("")
        lines += models.map { model in
            "- \(model.name): the training labels of \(property) span \(cell(model.quantiles.first, 4)) … \(cell(model.quantiles.last, 4)); "
                + "1 % / 99 % quantiles \(cell(model.quantiles[1], 4)) / \(cell(model.quantiles[5], 4)); a data quantile of 0 or 1 lies beyond them all"
        }
        return lines.joined(separator: "\n")
    }

    /// The HTML report's tables and figures, and the JSON a rerun resumes from.
    public func report(complete: Bool) -> RunReport {
        var report = RunReport(
            title: "rgdm extrapolation sweep: \(property)",
            summary: "\(models.count) conditional model(s) at \(targets.count) targets of \(property), \(settings["count"] ?? "?") molecules each, "
                + "scored by the oracle \(settings["oracle"] ?? "?")" + (complete ? "." : " (unfinished: rerun the same command to go on)."))
        report.tables = [RunReport.Table(title: "Settings", rows: settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })]
            + models.map { model in
                RunReport.Table(title: "\(model.name) (labelled fraction \(String(format: "%g", model.labelledFraction)))",
                                rows: points(of: model).map { point in
                                    (String(format: "target %g", point.target), String(
                                        format: "quantile %.3f, oracle %.4g ± %.4g, MAE %.4g, atom stability %.3f, molecule stability %.3f, validity %.3f, uniqueness %.3f",
                                        point.quantile, point.adherence.mean, point.adherence.spread, point.adherence.meanAbsoluteError,
                                        point.metrics.atomStability, point.metrics.moleculeStability, point.metrics.validity,
                                        point.metrics.uniqueness))
                                })
            }
        report.figures = figures()
        report.json = json(complete: complete)
        return report
    }

    private static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#ff7f0e", "#17becf", "#7f7f7f"]

    private func figures() -> [RunReport.Figure] {
        let sorted = targets.sorted()
        let markers = models.first.map { [SVGLineChart.Marker(x: $0.quantiles[1], label: "data 1 %"), .init(x: $0.quantiles[5], label: "data 99 %")] } ?? []
        func chart(_ title: String, _ yLabel: String, _ value: @escaping (Point) -> Double?, band: Bool = false, diagonal: Bool = false) -> RunReport.Figure {
            var series: [SVGLineChart.Series] = []
            if diagonal, let lo = sorted.first, let hi = sorted.last {
                series.append(.init(name: "y = target", points: [(lo, lo), (hi, hi)], colour: "#999999", dashed: true))
            }
            for (k, model) in models.enumerated() {
                let colour = Self.palette[k % Self.palette.count], mine = points(of: model)
                series.append(.init(name: model.name, points: mine.compactMap { p in value(p).map { (p.target, $0) } },
                                    colour: colour, dots: true))
                if band {
                    for sign in [1.0, -1.0] {
                        series.append(.init(name: "", points: mine.map { ($0.target, $0.adherence.mean + sign * $0.adherence.spread) },
                                            colour: colour, dashed: true))
                    }
                }
            }
            return RunReport.Figure(caption: title, svg: SVGLineChart(title: title, xLabel: "target \(property)", yLabel: yLabel,
                                                                      series: series, markers: markers).render())
        }
        return [
            chart("oracle's \(property): mean ± spread against the target (dashed: ± one standard deviation)", property,
                  { $0.adherence.mean }, band: true, diagonal: true),
            chart("MAE to the target", "MAE", { $0.adherence.meanAbsoluteError }),
            chart("molecule stability", "molecule stability", { $0.metrics.moleculeStability }),
            chart("atom stability", "atom stability", { $0.metrics.atomStability }),
            chart("validity", "validity", { $0.metrics.validity }),
            chart("uniqueness", "uniqueness", { $0.metrics.uniqueness }),
        ]
    }

    /// The report's JSON: settings, models, targets and points (NaN as null).
    func json(complete: Bool) -> [String: Any] {
        [
            "kind": Self.kind, "complete": complete, "property": property, "settings": settings, "targets": targets.sorted(),
            "models": models.map { ["path": $0.path, "name": $0.name, "labelled_fraction": JSONNumber.of($0.labelledFraction),
                                    "quantile_levels": Self.quantileLevels, "quantiles": $0.quantiles.map(JSONNumber.of)] as [String: Any] },
            "points": points.map { p in
                ["model": p.model, "target": p.target, "quantile": p.quantile, "count": p.adherence.count, "read": p.adherence.read,
                 "mae": JSONNumber.of(p.adherence.meanAbsoluteError), "mean": JSONNumber.of(p.adherence.mean),
                 "spread": JSONNumber.of(p.adherence.spread), "atom_stability": p.metrics.atomStability,
                 "molecule_stability": p.metrics.moleculeStability, "validity": p.metrics.validity,
                 "uniqueness": p.metrics.uniqueness, "novelty": p.metrics.novelty ?? NSNull(), "molecules": p.metrics.count,
                 "seconds": p.seconds] as [String: Any]
            },
        ]
    }

    static let kind = "extrapolation-sweep"

    /// Takes the finished points of this sweep's models from the report at `url` (a sweep's
    /// JSON), when there is one. Throws `PipelineError.invalidRun` naming the file when it is
    /// not a sweep's report or was written with other settings.
    public mutating func restore(from url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let saved = object as? [String: Any], saved["kind"] as? String == Self.kind,
              let savedSettings = saved["settings"] as? [String: String], let rows = saved["points"] as? [[String: Any]] else {
            throw PipelineError.invalidRun(path: url.path, reason: "not the report of an rgdm sweep; choose another --output or remove it")
        }
        if let key = Set(settings.keys).union(savedSettings.keys).sorted().first(where: { settings[$0] != savedSettings[$0] }) {
            throw PipelineError.invalidRun(
                path: url.path, reason: "its sweep ran with \(key) \(savedSettings[key] ?? "unset"), this one with \(settings[key] ?? "unset"); "
                    + "rerun with the same settings to go on, or choose another --output")
        }
        guard (saved["property"] as? String) == property else {
            throw PipelineError.invalidRun(path: url.path, reason: "its sweep is of \(saved["property"] as? String ?? "?"), this one of \(property)")
        }
        let paths = Set(models.map(\.path))
        for row in rows {
            guard let model = row["model"] as? String, paths.contains(model), let target = (row["target"] as? NSNumber)?.doubleValue,
                  !isFinished(model: model, target: target) else { continue }
            func number(_ key: String) -> Double { JSONNumber.double(row[key]) }
            func integer(_ key: String) -> Int { (row[key] as? NSNumber)?.intValue ?? 0 }
            let novelty = row["novelty"] is NSNull ? nil : (row["novelty"] as? NSNumber)?.doubleValue
            points.append(Point(
                model: model, target: target, quantile: number("quantile"),
                adherence: PropertyAdherence(count: integer("count"), read: integer("read"), meanAbsoluteError: number("mae"),
                                             mean: number("mean"), spread: number("spread"), targetMean: target),
                metrics: EDMMetrics(count: integer("molecules"), atomStability: number("atom_stability"),
                                    moleculeStability: number("molecule_stability"), validity: number("validity"),
                                    uniqueness: number("uniqueness"), novelty: novelty),
                seconds: number("seconds")))
        }
    }
}
