import ArgumentParser
import Chem
import Foundation

/// `rgdm preprocess molecules INPUT… --output set.h5`: QM9 (qm9pack CSV) or
/// any SMILES/SDF/… file → one HDF5 training set (layout:
/// Sources/Pipeline/Molecules/README.md), 3D generated where the input has
/// none, with a seeded split, both cores, resumable, rejects kept with reasons.
struct PreprocessMoleculesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "molecules",
        abstract: "Molecule files (QM9 CSV, SMILES, SDF…) → one HDF5 training set.",
        discussion: """
        QM9: pass the qm9pack CSV files or their folder (bash scripts/fetch-qm9.sh puts them in \
        datasets/cache/qm9); its 15 properties are kept and the split follows EDM (100,000 train, \
        10% test, the rest valid). Other inputs: molecules without 3D coordinates get OBBuilder + \
        MMFF94 structures of the stereoisomer the SMILES names (a record OBBuilder cannot build with \
        that stereochemistry is rejected), the same for the same --seed whatever --threads; \
        --property picks numeric SDF fields to keep; split 80/10/10. \
        An interrupted run resumes from OUTPUT.parts when run again with the same options.
        """
    )

    @Argument(help: "Input files: qm9pack CSV files or a folder of them, or molecule files.")
    var inputs: [String]

    @OptionGroup var destination: OutputOptions<HDF5Output>

    @Option(help: "Input format when extensions do not say (smi, sdf…).")
    var format: String?

    @Option(help: "Where rejected records go, with reasons (default: OUTPUT with .rejects.tsv).")
    var rejects: String?

    @Option(help: "Numeric data field to keep as a property (repeatable; QM9 keeps its own 15).")
    var property: [String] = []

    @Option(help: "MMFF94 conjugate-gradient step budget for 3D generation.")
    var maxSteps = 300

    @Flag(help: "Reject molecules whose MMFF94 minimisation does not converge within --max-steps (default: keep them).")
    var requireConvergence = false

    @OptionGroup var options: GlobalOptions
    @OptionGroup var worker: WorkerOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one input file") }
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        let qm9 = inputs.map(MoleculeInput.isQM9)
        if qm9.contains(true) && qm9.contains(false) { throw ValidationError("do not mix QM9 CSV files with other molecule files") }
    }

    var job: PreprocessJob {
        let isQM9 = inputs.allSatisfy(MoleculeInput.isQM9)
        let minimization = MinimizationOptions(forceField: .mmff94, maxSteps: maxSteps, energyThreshold: 1e-4,
                                               requireConvergence: requireConvergence)
        return PreprocessJob(inputs: inputs, format: format.map(MoleculeFormat.init),
                             output: destination.output, rejectsPath: rejects ?? destination.file.sidecar(.rejects),
                             preparation: MoleculePreparation(propertyNames: isQM9 ? QM9Record.propertyNames : property,
                                                              minimization: minimization),
                             isQM9: isQM9, seed: options.seed)
    }

    func run() throws {
        Interruption.install()
        let job = self.job
        if let part = worker.workerOutput {
            try job.runShard(worker.parsedShard, partFile: part)
            return
        }
        if worker.shard != nil {
            // One shard of a job spread over a scheduler: its part lands where a later
            // `rgdm preprocess molecules … --threads n` (same options) finds it and merges.
            let shard = worker.parsedShard
            try FileManager.default.createDirectory(atPath: job.partsDirectory, withIntermediateDirectories: true)
            try job.runShard(shard, partFile: job.partFile(shard))
            FileHandle.standardError.write(Data("preprocess: shard \(shard) done → \(job.partFile(shard)); merge with --threads \(shard.count)\n".utf8))
            return
        }
        let total = job.isQM9 ? QM9RowCount.count(inputs) : nil
        var progress = ProgressLine(label: "preprocess", total: total)
        let summary = try job.run(workers: options.workerCount) { progress.show($0) }
        var lines = [
            "preprocess: \(summary.molecules) molecules (\(summary.atoms) atoms) → \(destination.output)",
            "preprocess: \(summary.rejected) rejected → \(job.rejectsPath)",
        ]
        for (kind, count) in summary.reasons.sorted(by: { $0.value > $1.value }) { lines.append("  \(count) \(kind)") }
        if summary.resumed > 0 { lines.append("preprocess: \(summary.resumed) records were already prepared (an interrupted run, or shards run apart)") }
        let sizes = MoleculeDataset.splitSizes(count: summary.molecules, qm9: job.isQM9)
        lines.append("preprocess: split train \(sizes.train) / valid \(sizes.valid) / test \(sizes.test) (seed \(options.seed))")
        lines.append("preprocess: \(String(format: "%.1f", summary.seconds)) s with \(options.workerCount) worker(s)")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// Counts QM9 CSV data rows quickly (newlines minus headers), for the progress line.
enum QM9RowCount {
    static func count(_ inputs: [String]) -> Int? {
        var total = 0
        for input in inputs {
            for file in MoleculeInput.qm9Files(input) {
                guard let data = try? Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped) else { return nil }
                total += data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } - 1
            }
        }
        return total
    }
}
