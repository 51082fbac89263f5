import ArgumentParser
import Chem
import Foundation

/// `rgdm bench conformers SMILES_FILE`: SMILES → 3D throughput of rgdm
/// (OBBuilder + MMFF94 conjugate gradients, one worker process per core)
/// beside `obabel --gen3d` on the same SMILES, with MMFF94 energies compared
/// molecule by molecule. scripts/bench-conformers.sh adds RDKit ETKDG+MMFF.
struct BenchConformersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformers",
        abstract: "Benchmark SMILES → 3D (rgdm vs obabel --gen3d), throughput and MMFF94 energies.",
        discussion: """
        rgdm's structures are reproducible for a given --seed (OBBuilder's offsets and the atom orders \
        of further builds come from it); obabel --gen3d seeds itself from the clock. The report lists \
        the molecules where rgdm's MMFF94 energy is furthest above obabel's; --energies writes all of them.
        """
    )

    @Argument(help: "SMILES file (first field of each line).")
    var smilesFile: String

    @Option(help: "Use the first N SMILES.")
    var limit = 100

    @Option(help: "MMFF94 conjugate-gradient step budget.")
    var maxSteps = 300

    @Flag(help: "Do not run obabel --gen3d.")
    var skipObabel = false

    @Option(help: "Seconds obabel --gen3d may spend on one molecule before it counts as failed.")
    var obabelTimeout = 120.0

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Write per-molecule results (index, SMILES, rgdm and obabel MMFF94 energies in kcal/mol, convergence, steps, time, error) to this TSV file.")
    var energies: String?

    @OptionGroup var options: GlobalOptions
    @OptionGroup var worker: WorkerOptions

    var minimization: MinimizationOptions {
        MinimizationOptions(forceField: .mmff94, maxSteps: maxSteps, energyThreshold: 1e-4, requireConvergence: false)
    }

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
    }

    func run() throws {
        let smiles = try ConformerBenchmark.loadSMILES(smilesFile, limit: limit)
        if let output = worker.workerOutput {
            let writer = try LineWriter(path: output)
            ConformerBenchmark.run(smiles: smiles, shard: worker.parsedShard, options: minimization, seed: options.seed, emit: writer.write)
            return
        }
        let workers = options.workerCount
        let directory = NSTemporaryDirectory() + "rgdm-bench-conformers-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        var progress = ProgressLine(label: "rgdm 3D", total: smiles.count)
        let start = Date()
        let arguments = ["bench", "conformers", smilesFile, "--limit", String(limit), "--max-steps", String(maxSteps),
                         "--seed", String(options.seed), "--threads", "1"]
        let outputs = try ShardWorkers.run(arguments: arguments, count: workers, directory: directory) { progress.update(done: $0) }
        let seconds = Date().timeIntervalSince(start)
        progress.finish()
        var outcomes: [ConformerBenchmark.Outcome] = []
        for output in outputs {
            outcomes += try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").compactMap(ConformerBenchmark.Outcome.init(line:))
        }
        let ok = outcomes.filter(\.ok)
        var report: [String: Any] = [
            "molecules": smiles.count, "workers": workers, "max_steps": maxSteps,
            "rgdm_ok": ok.count, "rgdm_converged": ok.filter(\.converged).count,
            "rgdm_uff_fallback": ok.filter { $0.forceField == .uff }.count,
            "rgdm_seconds": seconds, "rgdm_ms_per_molecule": 1000 * seconds / Double(smiles.count),
            "rgdm_cpu_ms_per_molecule": ok.map(\.milliseconds).reduce(0, +) / Double(max(1, outcomes.count)),
        ]
        var obEnergies: [Int: Double] = [:]
        if !skipObabel {
            let obabel = try ConformerBenchmark.obabel(smiles: smiles, directory: directory, timeout: obabelTimeout)
            obEnergies = obabel.energies
            report["obabel_seconds"] = obabel.seconds
            report["obabel_ok"] = obEnergies.count
            report["obabel_timeouts"] = obabel.timeouts
            report["obabel_timeout_seconds"] = obabelTimeout
            report["obabel_ms_per_molecule"] = 1000 * obabel.seconds / Double(smiles.count)
            report["throughput_ratio_vs_obabel"] = obabel.seconds / seconds
            // Energies on molecules both minimised with MMFF94.
            let pairs = ok.filter { $0.forceField == .mmff94 }.compactMap { o in obEnergies[o.index].map { (index: o.index, rgdm: o.energy, obabel: $0) } }
            let differences = pairs.map { $0.rgdm - $0.obabel }.sorted()
            let median = { (values: [Double]) in values.isEmpty ? Double.nan : values.sorted()[values.count / 2] }
            report["energy_pairs"] = pairs.count
            report["median_energy_rgdm_minus_obabel"] = median(differences)
            report["mean_energy_rgdm"] = pairs.map(\.rgdm).reduce(0, +) / Double(max(1, pairs.count))
            report["mean_energy_obabel"] = pairs.map(\.obabel).reduce(0, +) / Double(max(1, pairs.count))
            report["median_energy_rgdm"] = median(pairs.map(\.rgdm))
            report["median_energy_obabel"] = median(pairs.map(\.obabel))
            report["rgdm_lower_or_equal_fraction"] = Double(pairs.filter { $0.rgdm <= $0.obabel + 1e-6 }.count) / Double(max(1, pairs.count))
            // Where rgdm is furthest above obabel, for a look at the structures.
            report["worst_rgdm_minus_obabel"] = pairs.sorted { $0.rgdm - $0.obabel > $1.rgdm - $1.obabel }.prefix(5).map {
                ["index": $0.index, "smiles": smiles[$0.index], "rgdm": $0.rgdm, "obabel": $0.obabel] as [String: Any]
            }
        }
        if let energies {
            let byIndex = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.index, $0) })
            var table = "index\tsmiles\trgdm_kcal_mol\tobabel_kcal_mol\trgdm_converged\trgdm_steps\trgdm_ms\trgdm_error\n"
            for (index, text) in smiles.enumerated() {
                let ours = byIndex[index]
                let energy = ours.map { $0.ok ? String($0.energy) : "" } ?? ""
                table += "\(index)\t\(text)\t\(energy)\t\(obEnergies[index].map { String($0) } ?? "")\t\(ours?.converged == true ? 1 : 0)\t"
                table += "\(ours?.steps ?? 0)\t\(ours.map { String(format: "%.0f", $0.milliseconds) } ?? "")\t\(ours?.error ?? "")\n"
            }
            try table.write(toFile: energies, atomically: true, encoding: .utf8)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for key in report.keys.sorted() where key != "worst_rgdm_minus_obabel" {
                print("\(key.padding(toLength: 34, withPad: " ", startingAt: 0)) \(report[key]!)")
            }
            for case let worst as [String: Any] in report["worst_rgdm_minus_obabel"] as? [Any] ?? [] {
                print("worst: #\(worst["index"]!) rgdm \(worst["rgdm"]!) obabel \(worst["obabel"]!) kcal/mol  \(worst["smiles"]!)")
            }
        }
    }
}
