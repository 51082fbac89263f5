import Foundation
import HDF5
import Testing
import TestSupport

/// A SMILES file preprocessed as 4 shards run apart (a scheduler's job array:
/// `--shard i/4`) and merged by `--threads 4` is the file one unsharded run writes.
@Suite(.temporaryDirectories,
       .enabled(if: RGDMExecutable.path != nil, "the rgdm executable is built with the tests"))
struct ShardedPreprocessTests {
    static let smiles = ["CCO", "CC(=O)O", "c1ccccc1O", "C1CC1", "CCN", "COC", "OCCO", "CC#N",
                         "C(C(=O)O)N", "CC(C)O", "C1=CC=CN=C1", "C1CCOC1", "not a molecule"]

    @Test func fourShardsMergedEqualTheUnshardedOutput() throws {
        let executable = try #require(RGDMExecutable.path)
        let directory = try TemporaryDirectory.create("shards")
        let input = directory.appendingPathComponent("set.smi").path
        try (Self.smiles.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let whole = directory.appendingPathComponent("whole.h5").path
        let sharded = directory.appendingPathComponent("sharded.h5").path
        let common = ["preprocess", "molecules", input, "--seed", "4", "--lenient"]

        let alone = try RGDMExecutable.run(executable, common + ["--output", whole, "--threads", "1"])
        #expect(alone.status == 0, "\(alone.stderr)")
        for shard in 0 ..< 4 {
            let part = try RGDMExecutable.run(executable, common + ["--output", sharded, "--shard", "\(shard)/4"])
            #expect(part.status == 0, "shard \(shard): \(part.stderr)")
            #expect(!FileManager.default.fileExists(atPath: sharded), "a shard writes its part only")
        }
        let merge = try RGDMExecutable.run(executable, common + ["--output", sharded, "--threads", "4"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stderr.contains("13 records were already prepared"), "the merge prepares nothing again: \(merge.stderr)")

        let a = try HDF5File(readingFrom: whole), b = try HDF5File(readingFrom: sharded)
        let names = try Self.datasetNames(a.root, prefix: "")
        #expect(names.contains("positions") && names.contains("smiles") && names.contains("splits/train"))
        #expect(try Self.datasetNames(b.root, prefix: "") == names)
        for name in names {
            let x = try a.dataset(name), y = try b.dataset(name)
            #expect(try x.info() == y.info(), "\(name)")
            if try x.info().elementType.isNumeric {
                #expect(try x.read(Double.self).values == y.read(Double.self).values, "\(name)")
            } else {
                #expect(try x.readStrings() == y.readStrings(), "\(name)")
            }
        }
        let rejects = { (path: String) in try String(contentsOfFile: path.replacingOccurrences(of: ".h5", with: ".rejects.tsv"), encoding: .utf8) }
        #expect(try rejects(whole) == rejects(sharded))
    }

    /// Every dataset under `group`, by path.
    static func datasetNames(_ group: HDF5Group, prefix: String) throws -> [String] {
        var names = try group.datasetNames().map { prefix + $0 }
        for child in try group.groupNames() {
            names += try datasetNames(try group.group(child), prefix: prefix + child + "/")
        }
        return names.sorted()
    }
}
