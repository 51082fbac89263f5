import Chem
import Foundation

/// Runs the EDM metrics over files, in this process or in worker processes.
enum MoleculeEvaluation {
    struct Outcome {
        var metrics: EDMMetrics
        var rejected: Int
    }

    /// Scores every record of `files`; with `workers` > 1 the records are
    /// split over that many rgdm worker processes. `progress` counts the records
    /// scored; `reject` hears why each record that could not be read was rejected.
    static func run(files: [String], format: MoleculeFormat?, reference: Set<String>?, workers: Int,
                    shard: Shard = .whole, progress: (JobProgress) -> Void = { _ in },
                    reject: (String) -> Void = { _ in }) throws -> Outcome {
        var evaluator = EDMEvaluator(reference: reference)
        var rejected = 0
        if workers <= 1 {
            var scored = 0
            try score(files: files, format: format, shard: shard) { line in
                scored += 1
                progress(.done(scored))
                merge(line, into: &evaluator, rejected: &rejected, reject: reject)
            }
        } else {
            var arguments = ["evaluate", "molecules"] + files + ["--threads", "1"]
            if let format { arguments += ["--format", format.name] }
            let directory = NSTemporaryDirectory() + "rgdm-evaluate-\(ProcessInfo.processInfo.processIdentifier)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let outputs = try ShardWorkers.run(arguments: arguments, count: workers, directory: directory) { progress(.done($0)) }
            for output in outputs {
                let text = try String(contentsOfFile: output, encoding: .utf8)
                for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                    merge(String(line), into: &evaluator, rejected: &rejected, reject: reject)
                }
            }
        }
        progress(.finished(rejected: nil))
        return Outcome(metrics: evaluator.metrics, rejected: rejected)
    }

    /// Scores the records of one shard, handing each result to `emit` as a
    /// line: "M\t<stable atoms>\t<atoms>\t<canonical SMILES or empty>" or "E\t<error>".
    static func score(files: [String], format: MoleculeFormat?, shard: Shard, emit: (String) -> Void) throws {
        for (_, record) in try MoleculeInput.records(files, format: format, shard: shard) {
            switch record {
            case .success(let molecule):
                let stability = EDMStability(of: molecule)
                let smiles = (try? EDMValidity.smiles(of: molecule)) ?? nil
                emit("M\t\(stability.stableAtoms)\t\(stability.atoms)\t\(smiles ?? "")")
            case .failure(let error):
                emit("E\t\(error)")
            }
        }
    }

    /// Adds one scored line to `evaluator`, or counts it as rejected and passes its reason to `reject`.
    static func merge(_ line: String, into evaluator: inout EDMEvaluator, rejected: inout Int, reject: (String) -> Void) {
        let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        if fields.first == "M", fields.count == 4, let stable = Int(fields[1]), let atoms = Int(fields[2]) {
            let smiles = fields[3].isEmpty ? nil : String(fields[3])
            evaluator.add(stability: EDMStability(stableAtoms: stable, atoms: atoms), smiles: smiles)
        } else {
            rejected += 1
            reject(fields.count > 1 ? String(fields[1]) : line)
        }
    }
}

/// Canonical SMILES of a reference set, for novelty.
enum ReferenceSMILES {
    /// From an rgdm HDF5 training set (its `smiles` dataset) or any molecule
    /// file: 3D structures without bonds go through the EDM distance-table
    /// route, others through their own bonds. A missing file, or one where no
    /// molecule can be read, is an error: an empty reference would report every
    /// sample as novel.
    static func load(_ path: String) throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidDataset(path: path, reason: "no such reference file (for novelty)")
        }
        let smiles = try canonicalSMILES(path)
        guard !smiles.isEmpty else {
            throw PipelineError.invalidDataset(path: path, reason: "no molecule of this reference set could be read (for novelty)")
        }
        return smiles
    }

    /// EDM's keys (canonical SMILES without stereo marks) of every readable record.
    /// Stored SMILES (an rgdm set's `smiles`, a SMILES file) may carry stereo, so
    /// those with stereo marks are read and written again without.
    private static func canonicalSMILES(_ path: String) throws -> Set<String> {
        let lower = path.lowercased()
        if lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") {
            var keys = Set<String>()
            for smiles in try MoleculeDataset.readSMILES(path) {
                if let key = try? withoutStereo(smiles) { keys.insert(key) }
            }
            return keys
        }
        var smiles = Set<String>()
        for record in try MoleculeInput.records([path], format: nil) {
            guard let molecule = try? record.get() else { continue }
            let key: String?
            if molecule.bonds.isEmpty && molecule.dimension == .spatial && molecule.atoms.count > 1 {
                key = try EDMValidity.smiles(of: molecule)
            } else {
                key = try? molecule.canonicalSMILES(stereo: false)
            }
            if let key { smiles.insert(key) }
        }
        return smiles
    }

    /// A canonical SMILES without its stereo marks (@, /, \\); strings without any are kept as they are.
    static func withoutStereo(_ smiles: String) throws -> String {
        guard smiles.contains(where: { $0 == "@" || $0 == "/" || $0 == "\\" }) else { return smiles }
        return try Molecule(string: smiles, format: .smiles).canonicalSMILES(stereo: false)
    }
}
