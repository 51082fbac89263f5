import Diffusion
import Foundation
import HDF5
import Testing
import TestSupport
import Diffusion
import PointCloud
@testable import Pipeline

@Suite(.serialized, .temporaryDirectories) struct InfoCommandTests {
    @Test func describesAMoleculeDataset() throws {
        let dir = try TemporaryDirectory.create("info")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset, copies: 3)
        let summary = try InfoCommand.describe(dataset)
        #expect(summary["kind"] as? String == "molecule dataset")
        #expect(summary["molecules"] as? Int == 12)
        #expect(summary["atoms"] as? Int == 3 * (5 + 4 + 3 + 2))
        #expect(summary["splits"] as? [String: Int] == ["train": 10, "valid": 1, "test": 1])
        #expect((summary["atomic_number_counts"] as? [String: Int])?["1"] == 3 * (4 + 3 + 2 + 1))
    }

    @Test func describesACheckpointAndItsTraining() throws {
        let dir = try TemporaryDirectory.create("info-ckpt")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        var train = try RGDMCommand.parseAsRoot(["train", dataset, "--output", dir.path + "/run", "--steps", "2",
                                                 "--layers", "2", "--hidden", "4", "--timesteps", "10"])
        try train.run()
        let summary = try InfoCommand.describe(dir.path + "/run/checkpoint.rgdm")
        #expect(summary["domain"] as? String == "molecules")
        let model = try #require(summary["model"] as? [String: Any])
        #expect(model["layers"] as? Int == 2)
        #expect(model["global_pooling"] as? String == "none")
        #expect(model["connectivity"] as? String == "fully connected")
        #expect(model["neighbours"] is NSNull)
        let training = try #require(summary["training"] as? [String: Any])
        #expect(training["steps"] as? Int == 2)
        #expect(training["graphs"] as? Int == 6)
    }

    @Test func describesAShapeCheckpointsNeighbourCount() throws {
        let dir = try TemporaryDirectory.create("info-shape-ckpt")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset, shapes: 4, points: 8)
        var train = try RGDMCommand.parseAsRoot(["train", dataset, "--output", dir.path + "/run", "--steps", "1", "--layers", "1",
                                                 "--hidden", "4", "--timesteps", "10", "--neighbours", "3", "--batch", "2",
                                                 "--architecture", "egnn"])
        try train.run()
        let model = try #require(try InfoCommand.describe(dir.path + "/run/checkpoint.rgdm")["model"] as? [String: Any])
        #expect(model["neighbours"] as? Int == 3)
        #expect(model["connectivity"] as? String == "k = 3 nearest neighbours")
        #expect(model["global_pooling"] as? String == "mean")
    }

    /// models/qm9-s.rgdm (the first stage, resumable) loads as EDM's model.
    @Test func describesTheShippedFirstStageQM9Model() throws {
        let path = MoleculesCommandTests.repository.appendingPathComponent("models/qm9-s.rgdm").path
        let summary = try InfoCommand.describe(path)
        let model = try #require(summary["model"] as? [String: Any])
        #expect(model["global_pooling"] as? String == "none")
        #expect(model["parameters"] as? Int == 151_499)
        let trained = try TrainedModel(path: path, threads: 1)
        #expect(try TrainedModel.checkpoint(at: path).state.parameters.count == trained.model.parameterCount)
    }

    /// models/qm9-m.rgdm, the base of the steered models: 8 × 128, grown from qm9-s.rgdm, EMA weights only.
    @Test func describesTheShippedGrownQM9Model() throws {
        let path = MoleculesCommandTests.repository.appendingPathComponent("models/qm9-m.rgdm").path
        let summary = try InfoCommand.describe(path)
        let model = try #require(summary["model"] as? [String: Any])
        let training = try #require(summary["training"] as? [String: Any])
        #expect(model["layers"] as? Int == 8 && model["hidden"] as? Int == 128 && model["parameters"] as? Int == 1_193_871)
        #expect(training["weights_only"] as? Bool == true && training["steps"] as? Int == 29_805)
        #expect((training["initialized_from"] as? String)?.hasSuffix("network, grown from 4 × 64") == true)
        let trained = try TrainedModel(path: path, threads: 1)
        #expect(trained.parameters.count == trained.model.parameterCount)
    }

    /// models/shapes-lp.rgdm (Float16 weights) loads, says what it is, and samples (two clouds, two ancestral steps).
    @Test func theShippedShapesModelLoadsAndSamples() throws {
        let path = MoleculesCommandTests.repository.appendingPathComponent("models/shapes-lp.rgdm").path
        let summary = try InfoCommand.describe(path)
        #expect(summary["domain"] as? String == "shapes")
        let model = try #require(summary["model"] as? [String: Any])
        #expect(model["architecture"] as? String == "latent-points" && model["latent_width"] as? Int == 128)
        #expect((summary["node_counts"] as? [String: Int])?["max"] == 512)
        let training = try #require(summary["training"] as? [String: Any])
        #expect(training["weights_only"] as? Bool == true && training["precision"] as? String == "half")
        #expect(model["prior_target"] as? String == "mean" && (training["initialized_from"] as? String)?.contains("encoder, decoder") == true)
        let dir = try TemporaryDirectory.create("shipped-shapes")
        var sample = try RGDMCommand.parseAsRoot(["sample", "--model", path, "--count", "2", "--output", dir.path + "/two.h5",
                                                  "--sampler", "ancestral", "--steps", "2", "--latent-steps", "2", "--threads", "1"])
        try sample.run()
        let clouds = try HDF5File(readingFrom: dir.path + "/two.h5").dataset("generated/test").read(Float.self, rank: 3)
        #expect(clouds.shape == [2, 512, 3] && clouds.values.allSatisfy { $0.isFinite })
    }

    @Test func describesAShapeDatasetAndRejectsOtherFiles() throws {
        let dir = try TemporaryDirectory.create("info-shapes")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset, shapes: 4, points: 8)
        let summary = try InfoCommand.describe(dataset)
        let categories = try #require(summary["categories"] as? [String: Any])
        #expect((categories["circles"] as? [String: Any])?["train"] as? [Int] == [4, 8, 3])
        let junk = dir.appendingPathComponent("junk.bin")
        try Data([0, 1, 2, 3]).write(to: junk)
        #expect(throws: DiffusionError.checkpointBadMagic(path: junk.path)) { try InfoCommand.describe(junk.path) }
    }
}

@Suite(.temporaryDirectories) struct ReferenceSetTests {
    @Test func noveltyReferenceIsTheTrainingSplit() throws {
        let dir = try TemporaryDirectory.create("reference")
        let path = dir.appendingPathComponent("set.h5").path
        let file = try HDF5File(creating: path)
        try file.root.setAttribute("format", .string("rgdm-molecules"))
        try file.root.createDataset("smiles", strings: ["CC", "CO", "CN"])
        try file.root.createDataset("splits/train", values: [Int64(0), 2], shape: [2])
        try file.commit()
        #expect(try MoleculeDataset.readSMILES(path) == ["CC", "CN"])
        #expect(try MoleculeDataset.readSMILES(path, split: nil) == ["CC", "CO", "CN"])
        #expect(try ReferenceSMILES.load(path) == ["CC", "CN"])
    }

    /// A wrong path must not score every sample as novel.
    @Test func missingOrUnreadableReferenceIsAnError() throws {
        let dir = try TemporaryDirectory.create("reference-missing")
        #expect { try ReferenceSMILES.load(dir.path + "/nothing.smi") } throws: { String(describing: $0).contains("no such reference file") }
        let junk = dir.appendingPathComponent("junk.smi")
        try "not a smiles ((\n".write(to: junk, atomically: true, encoding: .utf8)
        #expect { try ReferenceSMILES.load(junk.path) } throws: { String(describing: $0).contains("no molecule") }
        let good = dir.appendingPathComponent("good.smi")
        try "CCO ethanol\nC1CC1 cyclopropane\n".write(to: good, atomically: true, encoding: .utf8)
        #expect(try ReferenceSMILES.load(good.path).count == 2)
    }
}
