import ArgumentParser
import Chem
import Foundation

/// `rgdm evaluate molecules FILE… [--reference R] [--json]`: the EDM protocol
/// (atom and molecule stability from the distance table, validity,
/// uniqueness, novelty) on molecules in any readable format. Bonds are
/// always inferred from the 3D coordinates; the files' own bonds are ignored.
struct EvaluateMoleculesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "molecules",
        abstract: "EDM metrics: atom/molecule stability, validity, uniqueness, novelty.",
        discussion: """
        FILE is any format Open Babel reads (by extension or --format), '-' for standard input, \
        a qm9pack CSV file or a directory of them. --reference is an rgdm HDF5 training set or a \
        molecule file whose canonical SMILES define novelty. Bad records are reported on stderr \
        and counted; evaluation goes on.
        """
    )

    @Argument(help: "Molecule files to evaluate.")
    var files: [String]

    @Option(help: "Input format name when the extension does not say (sdf, xyz, smi…).")
    var format: String?

    @Option(help: "Reference set for novelty: an rgdm HDF5 training set or a molecule file.")
    var reference: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var options: GlobalOptions
    @OptionGroup var worker: WorkerOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE") }
        if files.contains("-"), format == nil { throw ValidationError("reading standard input needs --format") }
    }

    func run() throws {
        if let output = worker.workerOutput {
            let writer = try LineWriter(path: output)
            try MoleculeEvaluation.score(files: files, format: format.map(MoleculeFormat.init), shard: worker.parsedShard, emit: writer.write)
            return
        }
        let workers = worker.shard == nil ? options.workerCount : 1
        let referenceSMILES = try reference.map { try ReferenceSMILES.load($0) }
        var progress = ProgressLine(label: "evaluate", total: nil)
        let result = try MoleculeEvaluation.run(files: files, format: format.map(MoleculeFormat.init),
                                                reference: referenceSMILES, workers: workers, shard: worker.parsedShard,
                                                progress: { progress.show($0) },
                                                reject: { FileHandle.standardError.write(Data("evaluate: \($0)\n".utf8)) })
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result.metrics), as: UTF8.self))
        } else {
            let m = result.metrics
            print("molecules           \(m.count)")
            print("atom stability      \(String(format: "%.4f", m.atomStability))")
            print("molecule stability  \(String(format: "%.4f", m.moleculeStability))")
            print("validity            \(String(format: "%.4f", m.validity))")
            print("uniqueness          \(String(format: "%.4f", m.uniqueness))")
            print("novelty             \(m.novelty.map { String(format: "%.4f", $0) } ?? "n/a (no --reference)")")
        }
        if result.rejected > 0 {
            FileHandle.standardError.write(Data("evaluate: \(result.rejected) record(s) could not be read (see messages above)\n".utf8))
        }
    }
}
