import Chem
import Foundation

/// `rgdm preprocess molecules` as a resumable job: workers write prepared
/// records to per-shard part files beside the output (appending and
/// flushing as they go); a rerun skips what the parts already hold; the
/// parent merges the parts in record order into one HDF5 file, writes the
/// rejects with reasons, and removes the parts.
struct PreprocessJob {
    var inputs: [String]
    var format: MoleculeFormat?
    var output: String
    var rejectsPath: String
    var preparation: MoleculePreparation
    var isQM9: Bool
    var seed: UInt64

    var partsDirectory: String { OutputFile(path: output).sidecar(.parts) }

    func partFile(_ shard: Shard) -> String { "\(partsDirectory)/shard-\(shard.index)-of-\(shard.count).tsv" }

    struct Summary {
        var molecules: Int
        var rejected: Int
        var atoms: Int
        var resumed: Int
        var seconds: Double
        var reasons: [String: Int]
    }

    // MARK: Worker side

    /// Prepares the records of `shard`, appending lines to its part file and
    /// skipping the records an earlier, interrupted run already wrote.
    func runShard(_ shard: Shard, partFile: String) throws {
        let done = Self.completedIndices(partFile)
        let writer = try LineWriter(path: partFile)
        for (index, record) in try MoleculeInput.records(inputs, format: format, shard: shard) {
            if Interruption.requested { throw PipelineError.invalidRun(path: partFile, reason: "interrupted; run the same command again to resume") }
            if done.contains(index) { continue }
            writer.write(prepare(index: index, record).line)
        }
    }

    func prepare(index: Int, _ record: Result<Molecule, ChemError>) -> PreparedRecord {
        switch record {
        case .failure(let error):
            return .rejected(index: index, source: "record \(index + 1)", reason: "\(error)")
        case .success(let molecule):
            let source = molecule.title.isEmpty ? "record \(index + 1)" : molecule.title
            do {
                var generator = MoleculePreparation.generator(seed: seed, record: index)
                return .molecule(index: index, try preparation.prepare(molecule, using: &generator))
            } catch MoleculePreparation.Failure.rejected(let reason) {
                return .rejected(index: index, source: source, reason: reason)
            } catch {
                return .rejected(index: index, source: source, reason: "\(error)")
            }
        }
    }

    /// Record indices already in a part file (a torn last line is dropped and rewritten).
    static func completedIndices(_ partFile: String) -> Set<Int> {
        guard let text = try? String(contentsOfFile: partFile, encoding: .utf8) else { return [] }
        var done = Set<Int>()
        var goodLength = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let record = PreparedRecord(line: line) else { break }
            done.insert(record.index)
            goodLength += line.utf8.count + 1
        }
        if goodLength < text.utf8.count, let handle = FileHandle(forWritingAtPath: partFile) {
            try? handle.truncate(atOffset: UInt64(goodLength))
            try? handle.close()
        }
        return done
    }

    // MARK: Parent side

    /// Runs the workers (or this process when `workers` is 1), then merges. `progress` counts
    /// the records the workers have prepared and finishes before the merge.
    func run(workers: Int, progress: (JobProgress) -> Void = { _ in }) throws -> Summary {
        let start = Date()
        try FileManager.default.createDirectory(atPath: partsDirectory, withIntermediateDirectories: true)
        let stale = ((try? FileManager.default.contentsOfDirectory(atPath: partsDirectory)) ?? [])
            .filter { !$0.hasSuffix("-of-\(workers).tsv") }
        if !stale.isEmpty {
            throw PipelineError.invalidRun(path: partsDirectory, reason: "holds parts of an interrupted run with another worker count (\(stale[0])); rerun with the same --threads or delete that folder")
        }
        let shards = (0..<workers).map { Shard(index: $0, count: workers) }
        let resumed = shards.reduce(0) { $0 + Self.completedIndices(partFile($1)).count }
        if workers == 1 {
            try runShard(shards[0], partFile: partFile(shards[0]))
        } else {
            _ = try ShardWorkers.run(arguments: workerArguments(), count: workers, directory: partsDirectory,
                                     outputs: shards.map(partFile)) { progress(.done($0)) }
        }
        progress(.finished(rejected: nil))
        var summary = try merge(shards: shards)
        summary.resumed = resumed
        summary.seconds = Date().timeIntervalSince(start)
        try? FileManager.default.removeItem(atPath: partsDirectory)
        return summary
    }

    /// The worker command line (the shard and its part file are appended by ShardWorkers).
    func workerArguments() -> [String] {
        var arguments = ["preprocess", "molecules"] + inputs + ["--output", output, "--rejects", rejectsPath,
                                                               "--seed", String(seed), "--threads", "1",
                                                               "--max-steps", String(preparation.minimization.maxSteps)]
        if let format { arguments += ["--format", format.name] }
        for name in preparation.propertyNames where !isQM9 { arguments += ["--property", name] }
        if preparation.minimization.requireConvergence { arguments.append("--require-convergence") }
        return arguments
    }

    /// Reads every part, writes the HDF5 set and the rejects file.
    func merge(shards: [Shard]) throws -> Summary {
        var records: [PreparedRecord] = []
        for shard in shards {
            let text = try String(contentsOfFile: partFile(shard), encoding: .utf8)
            records += text.split(separator: "\n").compactMap(PreparedRecord.init(line:))
        }
        records.sort { $0.index < $1.index }
        var molecules: [PreparedMolecule] = []
        var rejects = "record\tsource\treason\n"
        var reasons: [String: Int] = [:]
        for record in records {
            switch record {
            case .molecule(_, let molecule): molecules.append(molecule)
            case .rejected(let index, let source, let reason):
                rejects += "\(index + 1)\t\(source)\t\(reason)\n"
                reasons[Self.kind(of: reason), default: 0] += 1
            }
        }
        guard !molecules.isEmpty else { throw PipelineError.invalidDataset(path: output, reason: "no molecule could be prepared (see \(rejectsPath))") }
        try MoleculeDataset.write(molecules, to: output, source: inputs.joined(separator: " "),
                                  propertyNames: preparation.propertyNames, qm9: isQM9, seed: seed)
        let temporary = rejectsPath + ".tmp"
        try rejects.write(toFile: temporary, atomically: false, encoding: .utf8)
        if rename(temporary, rejectsPath) != 0 { throw PipelineError.unsupportedOutput(path: rejectsPath, reason: "cannot rename \(temporary) into place") }
        return Summary(molecules: molecules.count, rejected: records.count - molecules.count,
                       atoms: molecules.reduce(0) { $0 + $1.atomicNumbers.count }, resumed: 0, seconds: 0, reasons: reasons)
    }

    /// A short class for a reject reason, for the summary.
    static func kind(of reason: String) -> String {
        if reason.contains("did not converge") { return "not converged" }
        if reason.contains("3D generation") { return "3D generation failed" }
        if reason.contains("unknown element") { return "unknown element" }
        if reason.contains("non-finite") { return "non-finite coordinates" }
        return "unreadable record"
    }
}
