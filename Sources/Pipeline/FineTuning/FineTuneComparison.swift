import Foundation

/// Fine-tuning runs side by side at the same reward: their rounds against the reward
/// evaluations spent, the figures of their last rounds, and the settings each was run with
/// (from the runs' `report.json` and first `run-*.json`). `rgdm compare` writes it.
struct FineTuneComparison {
    struct Entry {
        var name: String
        var method: String
        var reward: String
        /// Round summaries in order (`MoleculeRewardSession.finishRound`'s keys).
        var rounds: [[String: Double]]
        /// The invocation's options, paths left out.
        var settings: [String]
    }

    var entries: [Entry]

    /// Loads each run folder; throws naming the folder whose report is missing or unreadable,
    /// and when the runs steer toward different rewards.
    init(runs: [String]) throws {
        entries = try runs.map(Self.load)
        let rewards = Set(entries.map(\.reward))
        guard rewards.count <= 1 else {
            throw PipelineError.invalidRun(path: runs.joined(separator: ", "),
                                           reason: "the runs steer toward different rewards (\(rewards.sorted().joined(separator: ", "))): compare runs of one reward")
        }
    }

    private static func load(_ path: String) throws -> Entry {
        let directory = RunDirectory(URL(fileURLWithPath: path))
        let reportURL = directory.reportBase.appendingPathExtension("json")
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(contentsOf: reportURL))
        } catch {
            throw PipelineError.invalidRun(path: reportURL.path, reason: "no readable fine-tuning report (\(error.localizedDescription)); is \(path) an rgdm finetune run folder?")
        }
        guard let report = object as? [String: Any], report["kind"] as? String == "finetune",
              let method = report["method"] as? String, let reward = report["reward"] as? String,
              let rounds = report["rounds"] as? [[String: Any]] else {
            throw PipelineError.invalidRun(path: reportURL.path, reason: "not the report of an rgdm finetune run")
        }
        let summaries = rounds.map { $0.compactMapValues { ($0 as? NSNumber)?.doubleValue } }
        return Entry(name: directory.name, method: method, reward: reward, rounds: summaries, settings: settings(of: directory))
    }

    /// The first invocation's options after `finetune`, without the paths (model, output, data, reference).
    private static func settings(of directory: RunDirectory) -> [String] {
        let first = (try? FileManager.default.contentsOfDirectory(atPath: directory.url.path))?
            .filter { $0.hasPrefix("run-") && $0.hasSuffix(".json") }
            .min { (Int($0.dropFirst(4).dropLast(5)) ?? 0) < (Int($1.dropFirst(4).dropLast(5)) ?? 0) }
        guard let first, let data = try? Data(contentsOf: directory.url.appendingPathComponent(first)),
              let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let arguments = record["arguments"] as? [String], let start = arguments.firstIndex(of: "finetune") else { return [] }
        let paths: Set<String> = ["--model", "-m", "--output", "-o", "--data", "--reference", "--reward"]
        var kept: [String] = [], skip = false
        for argument in arguments[(start + 1)...] {
            if skip { skip = false; continue }
            if paths.contains(argument) { skip = true; continue }
            kept.append(argument)
        }
        return kept
    }

    /// The columns of the last-round table: key, heading, decimals. Every run's, then a molecule
    /// run's (its pool's chemistry), then a shape run's.
    static let columns: [(key: String, heading: String, digits: Int)] = [
        ("reward_evaluations", "reward evaluations", 0), ("reward_mean", "mean reward", 4),
        ("reward_top10_mean", "top 10 % of the round", 4), ("found_top10_mean", "best tenth found", 4),
    ]
    static let moleculeColumns: [(key: String, heading: String, digits: Int)] = [
        ("reward_valid_mean", "mean reward, valid", 4), ("validity", "validity", 3), ("uniqueness", "uniqueness", 3),
        ("novelty", "novelty", 3), ("atoms_mean", "atoms", 2),
    ]
    static let shapeColumns: [(key: String, heading: String, digits: Int)] = [
        ("distance_to_base", "distance to base", 4),
    ]

    /// The share of the pool in a class reward's class (shape runs), a column when some run has it.
    static let classShare = (key: "class_share", heading: "class share", digits: 3)

    /// Whether a run's rounds are a molecule run's (they carry the pool's validity).
    static func isMolecular(_ entry: Entry) -> Bool { entry.rounds.contains { $0["validity"] != nil } }

    /// The columns of this comparison: every run's; the molecule columns when a molecule run is
    /// among them; the shape columns when a shape run is; and the class share when a run has it.
    var columns: [(key: String, heading: String, digits: Int)] {
        Self.columns
            + (entries.contains(where: Self.isMolecular) ? Self.moleculeColumns : [])
            + (entries.contains { !Self.isMolecular($0) } ? Self.shapeColumns : [])
            + (entries.contains { $0.rounds.contains { $0[Self.classShare.key] != nil } } ? [Self.classShare] : [])
    }

    /// A Markdown table of each run's last round, then each run's settings.
    func markdown() -> String {
        let columns = self.columns
        var lines = ["| run | method | " + columns.map(\.heading).joined(separator: " | ") + " |",
                     "|---|---|" + String(repeating: "---|", count: columns.count)]
        for entry in entries {
            let last = entry.rounds.last ?? [:]
            let cells = columns.map { column in last[column.key].map { String(format: "%.\(column.digits)f", $0) } ?? "–" }
            lines.append("| \(entry.name) | \(entry.method) | " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines += entries.map { "- \($0.name): `\($0.settings.joined(separator: " "))`" }
        return lines.joined(separator: "\n")
    }

    func report() -> RunReport {
        let reward = entries.first?.reward ?? "–"
        var report = RunReport(title: "rgdm fine-tuning comparison: \(reward)",
                               summary: "\(entries.count) runs toward \(reward), each round's figures against the reward evaluations spent.")
        report.tables = [Table(title: "Last round", rows: entries.map { entry in
            let last = entry.rounds.last ?? [:]
            return ("\(entry.name) (\(entry.method))", columns.map { column in
                "\(column.heading) " + (last[column.key].map { String(format: "%.\(column.digits)f", $0) } ?? "–")
            }.joined(separator: ", "))
        }), Table(title: "Settings", rows: entries.map { ($0.name, $0.settings.joined(separator: " ")) })]
        let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#ff7f0e", "#17becf", "#7f7f7f"]
        func chart(_ key: String, _ title: String) -> Figure {
            let series = entries.enumerated().map { k, entry in
                SVGLineChart.Series(name: entry.name, points: entry.rounds.compactMap { round in
                    guard let x = round["reward_evaluations"], let y = round[key] else { return nil }
                    return (x: x, y: y)
                }, colour: palette[k % palette.count])
            }
            return Figure(caption: title, svg: SVGLineChart(title: title, xLabel: "reward evaluations", yLabel: key,
                                                            series: series).render())
        }
        report.figures = [chart("reward_top10_mean", "top 10 % of each round's pool"), chart("found_top10_mean", "best tenth found so far"),
                          chart("reward_mean", "mean reward")]
        if entries.contains(where: Self.isMolecular) {
            report.figures += [chart("reward_valid_mean", "mean reward of valid molecules"), chart("validity", "validity"),
                               chart("uniqueness", "uniqueness"), chart("novelty", "novelty")]
        }
        if columns.contains(where: { $0.key == Self.classShare.key }) {
            report.figures.append(chart(Self.classShare.key, "share of each pool in the class"))
        }
        report.json = ["kind": "finetune-comparison", "reward": reward,
                       "runs": entries.map { ["name": $0.name, "method": $0.method, "rounds": $0.rounds, "settings": $0.settings] as [String: Any] }]
        return report
    }
}

private typealias Table = RunReport.Table
private typealias Figure = RunReport.Figure
