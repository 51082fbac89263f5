import Chem
import Foundation
import HDF5
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// End-to-end runs of `rgdm evaluate molecules` and `rgdm preprocess molecules`
/// on the committed QM9 subset, in this process (one worker).
@Suite(.serialized, .temporaryDirectories) struct MoleculesCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let subset = repository.appendingPathComponent("datasets/qm9-subset/qm9-subset-3000.csv").path

    func scratch(_ name: String) throws -> String {
        try TemporaryDirectory.create(name).path
    }

    @Test func evaluatesTheQM9SubsetLikeEDMsDataRow() throws {
        let outcome = try MoleculeEvaluation.run(files: [Self.subset], format: nil, reference: nil, workers: 1)
        let m = outcome.metrics
        #expect(m.count == 3000 && outcome.rejected == 0)
        // EDM's QM9 data row is 99.0% / 95.2%; 3,000 molecules leave about ±0.4% of sampling noise.
        #expect(m.atomStability >= 0.99)
        #expect(abs(m.moleculeStability - 0.952) < 0.015)
        #expect(m.validity > 0.95 && m.uniqueness > 0.99)
        #expect(m.novelty == nil)
    }

    @Test func evaluateCommandParsesAndChecksItsOptions() throws {
        let parsed = try RGDMCommand.parseAsRoot(["evaluate", "molecules", "a.sdf", "--reference", "r.h5", "--json"])
        let command = try #require(parsed as? EvaluateMoleculesCommand)
        #expect(command.files == ["a.sdf"] && command.reference == "r.h5" && command.json)
        expectParseError(RGDMCommand.self, ["evaluate", "molecules", "-"], "reading standard input needs --format")
        expectParseError(RGDMCommand.self, ["evaluate", "molecules", "a.sdf", "--shard", "2/2"], "--shard must read i/n with 0 ≤ i < n (got '2/2')")
    }

    @Test func preprocessWritesTheDocumentedLayoutAndTrainingCanReadIt() throws {
        let dir = try scratch("preprocess-qm9")
        let output = dir + "/qm9.h5"
        let job = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", Self.subset, "-o", output, "--seed", "3"])
            as? PreprocessMoleculesCommand).job
        let summary = try job.run(workers: 1)
        #expect(summary.molecules == 3000 && summary.rejected == 0)
        #expect(!FileManager.default.fileExists(atPath: job.partsDirectory), "parts are removed after the merge")

        let file = try HDF5File(readingFrom: output)
        #expect(try file.root.stringAttribute("format") == "rgdm-molecules")
        #expect(try file.root.intAttribute("version") == 1)
        let offsets = try file.dataset("atom_offsets").read(Int64.self, rank: 1).values
        #expect(offsets.count == 3001 && offsets.first == 0)
        let atoms = Int(offsets.last ?? 0)
        #expect(try file.dataset("positions").info().shape == [atoms, 3])
        #expect(try file.dataset("positions").info().elementType == .float32)
        #expect(try file.dataset("atomic_numbers").info().elementType == .uint8)
        #expect(try file.dataset("charges").info().elementType == .int8)
        #expect(try file.dataset("smiles").readStrings().count == 3000)
        let properties = try file.dataset("properties")
        #expect(try properties.info().shape == [3000, QM9Record.propertyNames.count])
        #expect(try properties.attribute("names") == .strings(QM9Record.propertyNames))

        let split = try ["train", "valid", "test"].map { try file.dataset("splits/\($0)").read(Int64.self, rank: 1).values }
        #expect(split.map(\.count) == [2400, 300, 300])
        #expect(Set(split.joined()) == Set((0..<3000).map(Int64.init)))

        // The first molecule is QM9's GDB index of the subset's first row, coordinates kept to float32.
        let first = try #require(try QM9CSVReader(path: Self.subset).first { _ in true }?.get())
        let positions = try file.dataset("positions").readRows(0..<first.elements.count, as: Float.self).values
        expectClose(positions, first.positions.flatMap { [$0.x, $0.y, $0.z] }, tolerance: 1e-6, "first molecule's coordinates")

        // As a novelty reference, all of the set makes its own molecules not novel; its training
        // split (the default reference, as in EDM) leaves about the valid + test share novel.
        let everything = Set(try MoleculeDataset.readSMILES(output, split: nil))
        let evaluated = try MoleculeEvaluation.run(files: [Self.subset], format: nil, reference: everything, workers: 1)
        #expect(evaluated.metrics.novelty == 0)
        let training = try ReferenceSMILES.load(output)
        #expect(training.isSubset(of: everything) && training.count < everything.count)
        let againstTraining = try MoleculeEvaluation.run(files: [Self.subset], format: nil, reference: training, workers: 1)
        #expect((0.1 ... 0.25).contains(againstTraining.metrics.novelty ?? -1))

        // The trainer opens it.
        if case .molecules(let source) = try TrainingData.open(output, split: "train") {
            #expect(source.count == 2400)
        } else {
            Issue.record("TrainingData did not recognise the molecule set")
        }
    }

    @Test func preprocessResumesFromPartsAndKeepsRejects() throws {
        let dir = try scratch("preprocess-resume")
        let input = dir + "/in.smi"
        try "CCO ethanol\nC1CC( broken\nc1ccccc1O phenol\n".write(toFile: input, atomically: true, encoding: .utf8)
        let output = dir + "/out.h5"
        let job = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", input, "-o", output])
            as? PreprocessMoleculesCommand).job
        // An interrupted earlier run left record 0 done (marked) and half a line of record 2.
        try FileManager.default.createDirectory(atPath: job.partsDirectory, withIntermediateDirectories: true)
        let done = PreparedRecord.molecule(index: 0, PreparedMolecule(smiles: "RESUMED", atomicNumbers: [6], charges: [0],
                                                                      positions: [0, 0, 0], properties: []))
        try (done.line + "\nM\t2\tc1cc").write(toFile: job.partFile(Shard(index: 0, count: 1)), atomically: true, encoding: .utf8)

        let summary = try job.run(workers: 1)
        #expect(summary.resumed == 1)
        #expect(summary.molecules == 2 && summary.rejected == 1)
        let file = try HDF5File(readingFrom: output)
        #expect(try file.dataset("smiles").readStrings() == ["RESUMED", "Oc1ccccc1"])
        let rejects = try String(contentsOfFile: job.rejectsPath, encoding: .utf8)
        #expect(rejects.contains("2\t") && rejects.contains("record 2"))
        // Phenol got 3D coordinates with hydrogens: 13 atoms, not all at the origin.
        let offsets = try file.dataset("atom_offsets").read(Int64.self, rank: 1).values
        #expect(offsets == [0, 1, 14])
        let positions = try file.dataset("positions").readRows(1..<14, as: Float.self).values
        #expect(positions.contains { abs($0) > 0.5 })
    }

    @Test func preparedRecordsRoundTripThroughTheirLines() {
        let molecule = PreparedRecord.molecule(index: 7, PreparedMolecule(smiles: "C=O", atomicNumbers: [6, 8], charges: [0, -1],
                                                                          positions: [0.1, -2.5e-7, 3, 1.2345678, 0, 0], properties: [1.5, .nan]))
        let parsed = PreparedRecord(line: Substring(molecule.line))
        if case .molecule(7, let back)? = parsed {
            #expect(back.positions == [0.1, -2.5e-7, 3, 1.2345678, 0, 0])
            #expect(back.charges == [0, -1] && back.properties[0] == 1.5 && back.properties[1].isNaN)
        } else {
            Issue.record("did not parse back: \(String(describing: parsed))")
        }
        let reject = PreparedRecord.rejected(index: 3, source: "a\tb", reason: "bad\nthing")
        #expect(PreparedRecord(line: Substring(reject.line)) == .rejected(index: 3, source: "a b", reason: "bad thing"))
        #expect(PreparedRecord(line: "M\t2\tc1cc") == nil)
    }

    @Test func splitSizesFollowEDMForQM9() {
        #expect(MoleculeDataset.splitSizes(count: 130_831, qm9: true) == (100_000, 17_748, 13_083))
        #expect(MoleculeDataset.splitSizes(count: 1000, qm9: true) == (800, 100, 100))
        let a = MoleculeDataset.splits(count: 50, qm9: false, seed: 1), b = MoleculeDataset.splits(count: 50, qm9: false, seed: 1)
        #expect(a.train == b.train && a.test == b.test)
        #expect(MoleculeDataset.splits(count: 50, qm9: false, seed: 2).train != a.train)
    }

    @Test func benchAndPreprocessCheckTheirOptions() throws {
        expectParseError(RGDMCommand.self, ["bench", "conformers", "a.smi", "--limit", "0"], "--limit must be at least 1")
        expectParseError(RGDMCommand.self, ["preprocess", "molecules", "a.smi", "-o", "out.txt"], "--output must end in .h5 or .hdf5")
        expectParseError(RGDMCommand.self, ["preprocess", "molecules", "a.csv", "b.smi", "-o", "o.h5"],
                         "do not mix QM9 CSV files with other molecule files")
        let bench = try #require(try RGDMCommand.parseAsRoot(["bench", "conformers", "a.smi", "--max-steps", "100"]) as? BenchConformersCommand)
        #expect(bench.benchmark.minimization.maxSteps == 100 && !bench.benchmark.minimization.requireConvergence)
    }

    @Test func conformerBenchmarkRunsOnAFewSMILES() throws {
        var lines: [String] = []
        ConformerBenchmark.run(smiles: ["CCO", "C1CC(", "c1ccccc1O"], shard: .whole,
                               options: MinimizationOptions(maxSteps: 200, requireConvergence: false)) { lines.append($0) }
        let outcomes = lines.compactMap { ConformerBenchmark.Outcome(line: Substring($0)) }
        #expect(outcomes.map(\.ok) == [true, false, true])
        #expect(outcomes[1].error.contains("record 1"))
        #expect(outcomes.filter(\.ok).allSatisfy { $0.energy.isFinite && $0.forceField == .mmff94 })
    }

    @Test func shardsPartitionRecords() {
        #expect(Shard("1/3") == Shard(index: 1, count: 3))
        #expect(Shard("3/3") == nil && Shard("x") == nil && Shard("0/0") == nil)
        let shards = (0..<3).map { Shard(index: $0, count: 3) }
        for record in 0..<10 { #expect(shards.filter { $0.contains(record: record) }.count == 1) }
    }
}
