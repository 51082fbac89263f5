import Foundation
import HDF5
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm preprocess shapes`, `evaluate shapes`, `convert` and `bench shapes` on tiny inputs.
@Suite(.serialized, .temporaryDirectories) struct ShapesCommandTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    private func directory(_ name: String) throws -> String {
        try TemporaryDirectory.create("shapes-\(name)").path
    }

    static let cubeOFF = "OFF\n8 6 0\n" + (0 ..< 8).map { "\($0 >> 2 & 1) \($0 >> 1 & 1) \($0 & 1)\n" }.joined()
        + "4 0 1 3 2\n4 4 6 7 5\n4 0 4 5 1\n4 2 3 7 6\n4 0 2 6 4\n4 1 5 7 3\n"

    @Test func validatesOptions() {
        expectParseError(RGDMCommand.self, ["preprocess", "shapes", "-o", "x.h5"], "give input files or folders, or --procedural")
        expectParseError(RGDMCommand.self, ["preprocess", "shapes", "--procedural", "-o", "x.ply"], "--output must end in .h5 or .hdf5")
        expectParseError(RGDMCommand.self, ["preprocess", "shapes", "--procedural", "-o", "x.h5", "--split", "0.5,0.5"],
                         "--split takes three non-negative fractions, e.g. 0.8,0.1,0.1 (got '0.5,0.5')")
        expectParseError(RGDMCommand.self, ["preprocess", "shapes", "--procedural", "-o", "x.h5", "--category", "sofa"],
                         "The value 'sofa' is invalid for '--category <category>'")
        expectParseError(RGDMCommand.self, ["evaluate", "shapes", "g.h5"], "Missing expected argument '--reference <reference>'")
        expectParseError(RGDMCommand.self, ["evaluate", "shapes", "g.h5", "--reference", "r.h5", "--normalization", "cube"],
                         "The value 'cube' is invalid for '--normalization <normalization>'")
        expectParseError(RGDMCommand.self, ["convert", "a.abc", "b.ply"], "unknown input extension: a.abc")
        expectParseError(RGDMCommand.self, ["bench", "shapes", "--sets", "1"], "sizes must be positive (points, set points and sets at least 2)")
    }

    @Test func preprocessesProceduralShapesIntoTheShapeNetLayout() throws {
        let dir = try directory("procedural")
        let args = ["preprocess", "shapes", "--procedural", "--category", "chair", "--category", "mug", "--per-category", "10",
                    "--points", "64", "--seed", "3"]
        try rgdm(args + ["-o", dir + "/a.h5", "--threads", "2"])
        try rgdm(args + ["-o", dir + "/b.h5", "--threads", "1"])
        let a = try HDF5File(readingFrom: dir + "/a.h5"), b = try HDF5File(readingFrom: dir + "/b.h5")
        #expect(try a.root.groupNames() == ["chair", "mug"])
        for category in ["chair", "mug"] {
            let counts = try ["train", "val", "test"].map { try a.dataset("\(category)/\($0)").shape() }
            #expect(counts == [[8, 64, 3], [1, 64, 3], [1, 64, 3]])
            // Same seed, any number of workers: the same clouds.
            #expect(try a.dataset("\(category)/train").read(Float.self).values == b.dataset("\(category)/train").read(Float.self).values)
        }
        #expect(try a.root.stringAttribute("synthetic").hasPrefix("procedural"))
        #expect(try a.root.stringAttribute("normalization") == "shape_unit")
        #expect(try a.root.intAttribute("points") == 64)
        #expect(FileManager.default.fileExists(atPath: dir + "/a.run.json"))
        // shape_unit: each stored cloud has mean 0; the flattened standard deviation was 1 before
        // centring, so it is at most 1 after (Luo & Hu divide by the std about the grand mean).
        let first = PointCloud(flatPositions: Array(try a.dataset("chair/train").readRows(0 ..< 1, as: Float.self).values))
        let c = first.centroid
        #expect(max(abs(c.x), abs(c.y), abs(c.z)) < 1e-4)
        let std = first.normalization(.shapeUnit).scale
        #expect(std <= 1.001 && std > 0.3)
    }

    @Test func preprocessKeepsGoingPastBadFilesAndListsThem() throws {
        let dir = try directory("files")
        try FileManager.default.createDirectory(atPath: dir + "/in/box", withIntermediateDirectories: true)
        try Self.cubeOFF.write(toFile: dir + "/in/box/cube.off", atomically: true, encoding: .utf8)
        try Self.cubeOFF.write(toFile: dir + "/in/box/cube2.off", atomically: true, encoding: .utf8)
        try "ply\nformat ascii 1.0\nelement vertex 9\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n"
            .write(toFile: dir + "/in/box/lying.ply", atomically: true, encoding: .utf8)
        try "OFF\n0 0 0\n".write(toFile: dir + "/in/box/empty.off", atomically: true, encoding: .utf8)
        try rgdm(["preprocess", "shapes", dir + "/in", "-o", dir + "/set.h5", "--points", "100", "--split", "1,0,0"])
        let file = try HDF5File(readingFrom: dir + "/set.h5")
        #expect(try file.dataset("box/train").shape() == [2, 100, 3])
        let rejects = try String(contentsOfFile: dir + "/set.rejects.tsv", encoding: .utf8)
        #expect(rejects.contains("lying.ply") && rejects.contains("vertex 1"))
        #expect(rejects.contains("empty.off") && rejects.contains("no vertices"))
    }

    /// Workers store results while others read the failure count for progress: every count a
    /// store returns is seen exactly once, and the total is exact.
    @Test func resultSlotsCountFailuresUnderConcurrentStores() {
        let count = 2000
        let slots = ResultSlots(count: count)
        let seen = ResultSlots(count: count + 1)   // slot k marked when some store returned k
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result: Result<[Float], PointCloudError> = index % 3 == 0 ? .failure(.invalidRequest("\(index)")) : .success([])
            let failures = slots.set(index, result)
            _ = slots.failures
            if case .failure = result { seen.set(failures, .success([])) }
        }
        let expected = (0 ..< count).filter { $0 % 3 == 0 }.count
        #expect(slots.failures == expected)
        #expect((1 ... expected).allSatisfy { seen.get($0) != nil })
    }

    @Test func evaluatesAndConverts() throws {
        let dir = try directory("evaluate")
        try rgdm(["preprocess", "shapes", "--procedural", "--per-category", "6", "--points", "64", "-o", dir + "/s.h5", "--split", "0.5,0,0.5"])
        try rgdm(["preprocess", "shapes", "--procedural", "--per-category", "6", "--points", "64", "-o", dir + "/t.h5", "--seed", "9", "--split", "0.5,0,0.5"])
        var command = try RGDMCommand.parseAsRoot(["evaluate", "shapes", dir + "/s.h5", "--reference", dir + "/s.h5", "--split", "train"])
        let evaluate = try #require(command as? EvaluateShapesCommand)
        let (same, points) = try evaluate.evaluate()
        #expect(points == 64 && same.countGenerated == 15 && same.countReference == 15)
        #expect(same.mmdCD == 0 && same.covCD == 1 && same.mmdEMD == 0)
        command = try RGDMCommand.parseAsRoot(["evaluate", "shapes", dir + "/t.h5", "--reference", dir + "/s.h5", "--split", "test",
                                               "--category", "mug", "--no-emd", "--json", "--points", "48"])
        let againstMugs = try #require(command as? EvaluateShapesCommand).evaluate().metrics
        #expect(againstMugs.countReference == 3 && againstMugs.countGenerated == 3 && againstMugs.mmdEMD == nil)
        #expect(againstMugs.mmdCD > 0 && (0 ... 1).contains(againstMugs.nnaCD))
        try command.run()   // prints the JSON line
        // Two splits of one file, one category on both sides.
        command = try RGDMCommand.parseAsRoot(["evaluate", "shapes", dir + "/s.h5", "--reference", dir + "/s.h5", "--split", "test",
                                               "--generated-split", "train", "--category", "chair", "--no-emd"])
        let chairs = try #require(command as? EvaluateShapesCommand).evaluate().metrics
        #expect(chairs.countGenerated == 3 && chairs.countReference == 3 && chairs.mmdCD > 0)
        // --limit keeps every category: the first 5 of 15 test clouds would be airplanes and chairs only.
        #expect(ShapeSetLoader.evenlySpaced(Array(0 ..< 15), limit: 5) == [0, 3, 6, 9, 12])
        #expect(ShapeSetLoader.evenlySpaced(Array(0 ..< 4), limit: 9) == [0, 1, 2, 3])
        let sameSplitLimited = try #require(try RGDMCommand.parseAsRoot(
            ["evaluate", "shapes", dir + "/s.h5", "--reference", dir + "/s.h5", "--split", "test", "--limit", "5", "--no-emd"]) as? EvaluateShapesCommand).evaluate().metrics
        #expect(sameSplitLimited.countReference == 5 && sameSplitLimited.covCD == 1 && sameSplitLimited.mmdCD == 0)

        // A folder of files with one bad file: skipped, the rest evaluated.
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        try Self.cubeOFF.write(toFile: dir + "/folder/a.off", atomically: true, encoding: .utf8)
        try Self.cubeOFF.write(toFile: dir + "/folder/b.off", atomically: true, encoding: .utf8)
        try "OFF\n3 1 0\n0 0 0\n".write(toFile: dir + "/folder/bad.off", atomically: true, encoding: .utf8)
        command = try RGDMCommand.parseAsRoot(["evaluate", "shapes", dir + "/folder", "--reference", dir + "/folder", "--points", "64"])
        let folder = try #require(command as? EvaluateShapesCommand).evaluate().metrics
        #expect(folder.countGenerated == 2 && folder.countReference == 2)

        try Self.cubeOFF.write(toFile: dir + "/cube.off", atomically: true, encoding: .utf8)
        try rgdm(["convert", dir + "/cube.off", dir + "/cube.ply", "--points", "500", "--normalization", "shape_bbox"])
        guard case let .cloud(cube) = try ShapeFile.read(dir + "/cube.ply") else { Issue.record("cube.ply is a mesh"); return }
        #expect(cube.count == 500 && cube.normals != nil)
        try rgdm(["convert", dir + "/s.h5", dir + "/clouds/", "--format", "xyz", "--split", "test"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/clouds").count == 15)
        try rgdm(["convert", dir + "/s.h5", dir + "/copy.h5"])
        #expect(try PointCloudHDF5.read(dir + "/copy.h5").clouds.count == 30)
    }

    /// `rgdm bench shapes --json` prints one JSON report of the sizes asked for, with finite
    /// positive timings, and a progress row per stage on stderr.
    @Test func benchRunsOnTinySizes() throws {
        let executable = try #require(RGDMExecutable.path, "the rgdm executable is built with the tests")
        let run = try RGDMExecutable.run(executable, ["bench", "shapes", "--points", "64", "--pairs", "2", "--reps", "2", "--sets", "3",
                                                      "--set-points", "32", "--threads", "2", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 1, "one JSON line on stdout: \(run.stdout)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["n"] as? Int == 64 && report["pairs"] as? Int == 2 && report["threads"] as? Int == 1)
        #expect(report["set_clouds"] as? Int == 3 && report["set_points"] as? Int == 32 && report["set_threads"] as? Int == 2)
        for key in ["chamfer_one_pair_ms", "chamfer_one_pair_cpu_ms", "chamfer_batch_ms", "emd_one_pair_ms", "emd_one_pair_cpu_ms",
                    "emd_exact_512_ms", "set_chamfer_s"] {
            let seconds = try #require(report[key] as? Double, "\(key) is a number")
            #expect(seconds.isFinite && seconds > 0, "\(key) = \(seconds)")
        }
        // The EMD set time is the EMD run less the Chamfer-only run: finite, of either sign at these sizes.
        #expect((report["set_emd_s"] as? Double)?.isFinite == true)
        let chamfer = try #require(report["chamfer_value"] as? Double)
        let emd = try #require(report["emd_value"] as? Double), lowerBound = try #require(report["emd_lower_bound"] as? Double)
        #expect(chamfer.isFinite && chamfer > 0)
        #expect(emd.isFinite && emd > 0 && lowerBound <= emd, "EMD \(emd), certified lower bound \(lowerBound)")
        #expect(report["emd_relative_tolerance"] as? Double == 1e-3)
        let metrics = try #require(report["set_metrics"] as? [String: Any])
        #expect(metrics["count_generated"] as? Int == 3 && metrics["count_reference"] as? Int == 3)
        for key in ["cov_cd", "nna_cd", "cov_emd", "nna_emd"] {
            #expect((metrics[key] as? Double).map { (0 ... 1).contains($0) } == true, "\(key) = \(String(describing: metrics[key]))")
        }
        for key in ["mmd_cd", "mmd_emd"] {
            #expect((metrics[key] as? Double).map { $0.isFinite && $0 > 0 } == true, "\(key) = \(String(describing: metrics[key]))")
        }
        // One progress row per stage: Chamfer, EMD, the Chamfer set metrics, the EMD set metrics.
        let rows = run.stderr.split(separator: "\n").filter { $0.hasPrefix("bench shapes: ") }.map { $0.dropFirst("bench shapes: ".count) }
        let stages = ["chamfer: ", "emd: ", "set: Chamfer MMD/COV/1-NNA of 3 × 3 clouds of 32 points: ", "set: + EMD MMD/COV/1-NNA: "]
        #expect(rows.count == stages.count && zip(rows, stages).allSatisfy { $0.hasPrefix($1) }, "\(rows)")
    }
}
