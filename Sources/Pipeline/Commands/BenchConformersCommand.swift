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

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
    }

    var benchmark: ConformerBenchmark {
        ConformerBenchmark(configuration: .init(
            smilesFile: smilesFile, limit: limit, maxSteps: maxSteps, seed: options.seed, workers: options.workerCount,
            obabelTimeout: skipObabel ? nil : obabelTimeout))
    }

    func run() throws {
        let smiles = try ConformerBenchmark.loadSMILES(smilesFile, limit: limit)
        let bench = benchmark
        if let output = worker.workerOutput {
            let writer = try LineWriter(path: output)
            ConformerBenchmark.run(smiles: smiles, shard: worker.parsedShard, options: bench.minimization, seed: options.seed,
                                   emit: writer.write)
            return
        }
        var progress = ProgressLine(label: "rgdm 3D", total: smiles.count)
        let report = try bench.run(smiles: smiles) { progress.show($0) }
        if let energies { try report.energyTable.write(toFile: energies, atomically: true, encoding: .utf8) }
        print(json ? try report.json() : report.lines.joined(separator: "\n"))
    }
}
