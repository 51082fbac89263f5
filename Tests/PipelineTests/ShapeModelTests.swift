import Diffusion
import Foundation
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// Shape models end to end on the committed procedural sample (5 categories, 6 train and 6 test
/// clouds each): `rgdm train-property --property class` and its report, exact resume, `rgdm
/// classify`, invariance of a trained model to point order (thinning included), and the shape
/// rewards on shapes whose answers are known.
@Suite(.serialized, .temporaryDirectories) struct ShapeModelTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = repository.appendingPathComponent("datasets/shapes-sample/procedural-sample.h5").path
    static let tiny = ["--point-widths", "16,32", "--head-widths", "16", "--points", "128", "--batch", "10", "--threads", "1"]

    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// A classifier of the sample trained for `steps` steps at `path`.
    static func classifier(at path: String, steps: Int) throws -> ShapeModelTraining.Outcome {
        var settings = ShapeModelTraining.Settings()
        settings.pointWidths = [16, 32]
        settings.headWidths = [16]
        settings.points = 128
        settings.trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 3e-3), emaDecay: 0.9, batchSize: 10, seed: 1)
        settings.steps = steps
        return try ShapeModelTraining(dataset: sample, property: ShapeTask.classProperty, output: path).train(settings, shouldStop: { false })
    }

    @Test func trainsAClassifierAndReportsAccuracyAndConfusion() throws {
        let dir = try TemporaryDirectory.create("shape-classifier")
        let output = dir.appendingPathComponent("cls.rgdm").path
        try rgdm(["train-property", Self.sample, "--property", "class", "-o", output, "--steps", "30"] + Self.tiny)
        let report = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: dir.appendingPathComponent("cls.report.json"))) as? [String: Any])
        #expect(report["kind"] as? String == "shape model" && report["architecture"] as? String == "pointnet")
        #expect(report["categories"] as? [String] == ["airplane", "chair", "lamp", "mug", "table"])
        let scores = try #require(report["scores"] as? [[String: Any]])
        #expect(scores.map { $0["split"] as? String } == ["test"], "the sample has no val split")
        let confusion = try #require(scores.first?["confusion"] as? [[Int]])
        #expect(confusion.count == 5 && confusion.allSatisfy { $0.count == 5 && $0.reduce(0, +) == 6 })
        let html = try String(contentsOf: dir.appendingPathComponent("cls.report.html"), encoding: .utf8)
        #expect(html.contains("Confusion matrix") && html.contains("<svg"))
        let model = try ShapeModel.open(output)
        #expect(model.card.categories?.count == 5 && model.card.points == 128 && model.card.augmentation.rotatesAboutUpAxis)
        let info = try InfoCommand.describe(output)
        #expect(info["kind"] as? String == "shape model" && (info["scores"] as? [String: Any])?.keys.sorted() == ["test"])
        // Another task at the same path is refused.
        #expect(throws: PipelineError.self) {
            try rgdm(["train-property", Self.sample, "--property", "height", "-o", output, "--steps", "31"] + Self.tiny)
        }
    }

    /// A molecule set's `splits/train` group must not pass for a shape category.
    @Test func moleculeSetsAreNotShapeSets() throws {
        let dir = try TemporaryDirectory.create("shape-or-molecule")
        let molecules = dir.appendingPathComponent("molecules.h5").path
        try PropertyFixtures.write(to: molecules)
        #expect(!LabelledShapes.isShapeSet(molecules) && LabelledShapes.isShapeSet(Self.sample))
        #expect(throws: PipelineError.self) { try LabelledShapes.open(molecules, split: "train", normalization: .shapeUnit) }
    }

    @Test func aResumedRunEndsWhereAStraightRunEnds() throws {
        let dir = try TemporaryDirectory.create("shape-resume")
        let straight = dir.appendingPathComponent("straight.rgdm").path, resumed = dir.appendingPathComponent("resumed.rgdm").path
        _ = try Self.classifier(at: straight, steps: 8)
        let first = try Self.classifier(at: resumed, steps: 4)
        #expect(first.step == 4)
        let second = try Self.classifier(at: resumed, steps: 8)
        #expect(second.stepsTaken == 4)
        #expect(try TrainedModel.checkpoint(at: resumed).state == TrainedModel.checkpoint(at: straight).state)
    }

    @Test func trainsARegressorOfAShapeProperty() throws {
        let dir = try TemporaryDirectory.create("shape-regressor")
        let output = dir.appendingPathComponent("height.rgdm").path
        try rgdm(["train-property", Self.sample, "--property", "height", "-o", output, "--steps", "20"] + Self.tiny)
        let model = try ShapeModel.open(output)
        guard case let .regression(property, _, scale) = model.card.task else { Issue.record("not a regressor"); return }
        #expect(property == .height && scale > 0)
        guard case let .regression(scores) = model.card.scores else { Issue.record("no regression scores"); return }
        #expect(scores.map(\.split) == ["test"] && scores[0].count == 30)
        #expect(throws: PipelineError.self) { try model.logProbabilities([]) }
        // An unknown property names the ones there are.
        #expect(throws: PipelineError.unknownProperty(path: Self.sample, property: "volume", available: ["class", "height", "radius"])) {
            try rgdm(["train-property", Self.sample, "--property", "volume", "-o", dir.appendingPathComponent("v.rgdm").path,
                      "--steps", "1"] + Self.tiny)
        }
    }

    /// Prediction thins a 2048-point cloud to the model's 128 by a subset that depends on the
    /// points only, so shuffling the points changes nothing but rounding.
    @Test func predictionsIgnorePointOrderThinningIncluded() throws {
        let dir = try TemporaryDirectory.create("shape-order")
        let path = dir.appendingPathComponent("cls.rgdm").path
        _ = try Self.classifier(at: path, steps: 10)
        let model = try ShapeModel.open(path)
        let clouds = try PointCloudHDF5.read(Self.sample, split: "test").clouds
        var generator = Xoshiro256StarStar(seed: 3)
        let shuffled = clouds.map { PointCloud(positions: $0.positions.shuffled(using: &generator)) }
        let base = try model.logProbabilities(clouds), permuted = try model.logProbabilities(shuffled)
        expectClose(permuted.flatMap { $0 }, base.flatMap { $0 }, tolerance: 1e-5, "log p of shuffled clouds")
        #expect(model.prepare(clouds[0]).count == 128)
    }

    @Test func classifyPrintsProbabilitiesOfFilesAndSets() throws {
        let dir = try TemporaryDirectory.create("shape-classify")
        let path = dir.appendingPathComponent("cls.rgdm").path
        _ = try Self.classifier(at: path, steps: 5)
        let cloud = try PointCloudHDF5.read(Self.sample, split: "test", categories: ["mug"]).clouds[0]
        let file = dir.appendingPathComponent("mug.xyz").path
        try ShapeFile.write(cloud, to: file)
        var mesh = MeshBuilder()
        mesh.addBox(center: .zero, size: SIMD3(1, 2, 1))
        let off = dir.appendingPathComponent("box.off").path
        let m = mesh.mesh
        let text = "OFF\n\(m.vertices.count) \(m.triangles.count) 0\n" + m.vertices.map { "\($0.x) \($0.y) \($0.z)" }.joined(separator: "\n")
            + "\n" + m.triangles.map { "3 \($0.x) \($0.y) \($0.z)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: off, atomically: true, encoding: .utf8)
        let read = try ShapeModel.readClouds([file, off, Self.sample], split: "test", meshPoints: 500, seed: 0, reject: { Issue.record("\($0)") })
        #expect(read.count == 2 + 30 && read[1].cloud.count == 500 && read[2].category == "airplane")
        let model = try ShapeModel.open(path)
        let logP = try model.logProbabilities([read[0].cloud])[0]
        expectClose([logP.map { Foundation.exp($0) }.reduce(0, +)], [1], tolerance: 1e-9, "probabilities sum to 1")
        try rgdm(["classify", "--model", path, file, off, "--azimuth", "90", "--reward", "class(mug) + symmetry(x)"])
        expectParseError(RGDMCommand.self, ["classify", "--model", path, file, "--reward", "symmetry(w)"], "symmetry(…)")
        expectParseError(RGDMCommand.self, ["classify", "--model", path], "Missing expected argument")
        expectParseError(RGDMCommand.self, ["classify", "--model", path, file, "--mesh-points", "0"], "--mesh-points must be at least 1")
        expectParseError(RGDMCommand.self, ["train-property", Self.sample, "--property", "class", "-o", "x.rgdm", "--points", "0"],
                         "--points must be at least 1")
    }

    // MARK: Rewards

    @Test func shapeRewardsParseAndPrintBack() throws {
        for text in ["class(airplane)", "class(airplane, models/cls.rgdm)", "chamfer(/data/target.ply)", "aspect(2:1:1)",
                     "symmetry(x)", "0.5*class(chair) + 0.5*symmetry(x)", "target(aspect(1:1:1), -0.1)"] {
            let parsed = try RewardSpecification(parsing: text)
            #expect(try RewardSpecification(parsing: parsed.description) == parsed, "\(text) → \(parsed)")
            #expect(!parsed.shapeTerms.isEmpty)
        }
        #expect(try RewardSpecification(parsing: "aspect(2:1:0.5)") == .shape(.aspect(x: 2, y: 1, z: 0.5)))
        for bad in ["aspect(2:1)", "aspect(2:-1:1)", "symmetry(w)", "chamfer(a, b)", "class()"] {
            #expect(throws: PipelineError.self, "\(bad)") { try RewardSpecification(parsing: bad) }
        }
        #expect(throws: PipelineError.invalidReward(specification: "qed", reason: "qed scores molecules, not shapes")) {
            try RewardSpecification(parsing: "qed").makeShapeReward()
        }
        #expect(throws: PipelineError.self) { try RewardSpecification(parsing: "symmetry(x)").makeReward() }
        #expect(throws: PipelineError.self) { try RewardSpecification(parsing: "class(airplane)").makeShapeReward() }
    }

    static func box(_ size: SIMD3<Double>, points: Int = 2000, seed: UInt64 = 1) throws -> PointCloud {
        var mesh = MeshBuilder()
        mesh.addBox(center: SIMD3(0.3, -0.2, 0.1), size: size)
        var generator = Xoshiro256StarStar(seed: seed)
        return try mesh.mesh.sampleSurface(count: points, using: &generator)
    }

    @Test func geometricRewardsOnKnownShapes() throws {
        let box = try Self.box(SIMD3(2, 1, 1))
        func value(_ reward: any Reward<PointCloud>, _ cloud: PointCloud) throws -> Double { try reward.score([cloud])[0].get() }
        // A box's extents are its sides: exactly 2:1:1, and against 1:1:1 the log-ratio error is (2/3 + 1/3 + 1/3) log 2.
        #expect(abs(try value(AspectReward(x: 2, y: 1, z: 1), box)) < 1e-5)
        #expect(abs(try value(AspectReward(x: 4, y: 2, z: 2), box)) < 1e-5, "only proportions count")
        #expect(abs(try value(AspectReward(x: 1, y: 1, z: 1), box) + 4.0 / 3 * Foundation.log(2)) < 1e-5)
        // A cloud made symmetric across x = c by mirroring: symmetry 0 about x, not about y of an L-shaped one.
        let half = try Self.box(SIMD3(1, 1, 1), points: 500)
        let mirrored = PointCloud(positions: half.positions + SymmetryReward.reflected(half, axis: .x).positions)
        let symmetric = try value(SymmetryReward(axis: .x), mirrored)   // 0 up to Float rounding of the mirror plane
        #expect(symmetric <= 0 && symmetric > -1e-10, "\(symmetric)")
        var lShape = MeshBuilder()
        lShape.addBox(center: SIMD3(0, 0, 0), size: SIMD3(2, 0.2, 0.2))
        lShape.addBox(center: SIMD3(0.9, 0.6, 0), size: SIMD3(0.2, 1.2, 0.2))
        var generator = Xoshiro256StarStar(seed: 2)
        let l = try lShape.mesh.sampleSurface(count: 1500, using: &generator)
        #expect(try value(SymmetryReward(axis: .x), l) < -0.05, "an L is not mirror-symmetric across x")
        #expect(try value(SymmetryReward(axis: .z), l) > -0.01, "but it is across z (up to sampling)")
        // Chamfer: a cloud against itself is 0, against another shape negative; a set's nearest member counts.
        let dir = try TemporaryDirectory.create("shape-rewards")
        let target = dir.appendingPathComponent("box.xyz").path
        try ShapeFile.write(box, to: target)
        let chamfer = try RewardSpecification(parsing: "chamfer(\(target))").makeShapeReward()
        #expect(try value(chamfer, box) == 0)
        #expect(try value(chamfer, l) < -0.01)
        #expect(try value(ChamferReward(targets: [l, box], label: "set"), box) == 0)
        // A scaled, shifted copy scores 0 too: both sides are normalised.
        let moved = PointCloud(positions: box.positions.map { $0 * 3 + SIMD3(1, 2, 3) })
        let movedValue = try value(chamfer, moved)
        #expect(movedValue <= 0 && movedValue > -1e-10, "\(movedValue)")
        // Failures: a non-finite cloud fails its own sample only.
        let broken = PointCloud(positions: [SIMD3(.nan, 0, 0), .zero])
        let outcomes = SymmetryReward(axis: .x).score([broken, box])
        #expect((try? outcomes[0].get()) == nil && (try? outcomes[1].get()) != nil)
    }

    @Test func classifierRewardIsTheModelsLogProbability() throws {
        let dir = try TemporaryDirectory.create("shape-class-reward")
        let path = dir.appendingPathComponent("cls.rgdm").path
        _ = try Self.classifier(at: path, steps: 60)
        let clouds = try PointCloudHDF5.read(Self.sample, split: "test").clouds
        let model = try ShapeModel.open(path)
        let logP = try model.logProbabilities(clouds)
        let reward = try RewardSpecification(parsing: "class(airplane, \(path))").makeShapeReward()
        let values = reward.score(clouds).map { try? $0.get() }
        #expect(values == logP.map { Optional($0[0]) })
        #expect(values.allSatisfy { ($0 ?? 1) <= 0 })
        // Trained 60 steps on the sample, airplanes score above the others on average.
        let airplanes: [Double] = values.prefix(6).compactMap { $0 }, others: [Double] = values.dropFirst(6).compactMap { $0 }
        let airplaneMean = airplanes.reduce(0, +) / Double(airplanes.count), otherMean = others.reduce(0, +) / Double(others.count)
        #expect(airplaneMean > otherMean)
        var settings = RewardSettings()
        settings.classifier = path
        #expect(try RewardSpecification(parsing: "class(chair)").makeShapeReward(settings).name == "class(chair)")
        #expect(throws: PipelineError.invalidReward(specification: "class(boat)",
                                                    reason: "the classifier knows airplane, chair, lamp, mug, table, not 'boat'")) {
            try RewardSpecification(parsing: "class(boat)").makeShapeReward(settings)
        }
    }

    @Test func commandRewardGetsPointsAsJSONLines() throws {
        try RewardTestSupport.withScratch { directory in
            let script = try RewardTestSupport.script("count.sh", in: directory,
                                                      "#!/bin/sh\npython3 -c 'import sys, json\nfor line in sys.stdin: print(len(json.loads(line)[\"points\"]))'\n")
            var settings = RewardSettings()
            settings.command = script
            let reward = try RewardSpecification(parsing: "command").makeShapeReward(settings)
            let clouds = [PointCloud(positions: [.zero, SIMD3(1, 0, 0)]), PointCloud(positions: [.zero, .one, SIMD3(0, 2, 0)])]
            #expect(reward.score(clouds).map { try? $0.get() } == [2, 3])
        }
    }
}
