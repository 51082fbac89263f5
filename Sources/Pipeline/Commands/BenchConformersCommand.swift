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
        abstract: "Benchmark SMILES → 3D (rgdm vs obabel --gen3d), throughput and MMFF94 energies."
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

    @Option(help: "Write per-molecule results (index, SMILES, rgdm and obabel MMFF94 energies, kcal/mol) to this TSV file.")
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
            ConformerBenchmark.run(smiles: smiles, shard: worker.parsedShard, options: minimization, emit: writer.write)
            return
        }
        let workers = options.workerCount
        let directory = NSTemporaryDirectory() + "rgdm-bench-conformers-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        var progress = ProgressLine(label: "rgdm 3D", total: smiles.count)
        let start = Date()
        let arguments = ["bench", "conformers", smilesFile, "--limit", String(limit), "--max-steps", String(maxSteps), "--threads", "1"]
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
        if !skipObabel {
            let obabel = try ConformerBenchmark.obabel(smiles: smiles, directory: directory, timeout: obabelTimeout)
            let (obSeconds, obEnergies) = (obabel.seconds, obabel.energies)
            report["obabel_seconds"] = obSeconds
            report["obabel_ok"] = obEnergies.count
            report["obabel_timeouts"] = obabel.timeouts
            report["obabel_timeout_seconds"] = obabelTimeout
            report["obabel_ms_per_molecule"] = 1000 * obSeconds / Double(smiles.count)
            report["throughput_ratio_vs_obabel"] = obSeconds / seconds
            // Energies on molecules both minimised with MMFF94.
            let pairs = ok.filter { $0.forceField == .mmff94 }.compactMap { o in obEnergies[o.index].map { (o.energy, $0) } }
            let differences = pairs.map { $0.0 - $0.1 }.sorted()
            report["energy_pairs"] = pairs.count
            report["median_energy_rgdm_minus_obabel"] = differences.isEmpty ? Double.nan : differences[differences.count / 2]
            report["mean_energy_rgdm"] = pairs.map(\.0).reduce(0, +) / Double(max(1, pairs.count))
            report["mean_energy_obabel"] = pairs.map(\.1).reduce(0, +) / Double(max(1, pairs.count))
            report["rgdm_lower_or_equal_fraction"] = Double(pairs.filter { $0.0 <= $0.1 + 1e-6 }.count) / Double(max(1, pairs.count))
            if let energies {
                let byIndex = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.index, $0) })
                var table = "index\tsmiles\trgdm_kcal_mol\tobabel_kcal_mol\trgdm_converged\n"
                for (index, text) in smiles.enumerated() {
                    let ours = byIndex[index].map { $0.ok ? String($0.energy) : "" } ?? ""
                    table += "\(index)\t\(text)\t\(ours)\t\(obEnergies[index].map { String($0) } ?? "")\t\(byIndex[index]?.converged == true ? 1 : 0)\n"
                }
                try table.write(toFile: energies, atomically: true, encoding: .utf8)
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for key in report.keys.sorted() { print("\(key.padding(toLength: 34, withPad: " ", startingAt: 0)) \(report[key]!)") }
        }
    }
}
