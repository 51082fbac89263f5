import Foundation
import HDF5
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// The molecule set's owner reads back what it writes and describes the datasets it names;
/// training-set errors name the input file.
@Suite(.temporaryDirectories) struct MoleculeDatasetTests {
    /// Methane, water and hydrogen fluoride (QM9 geometries), repeated to `count` molecules.
    static func molecules(_ count: Int) -> [PreparedMolecule] {
        let templates = [
            PreparedMolecule(smiles: "C", atomicNumbers: [6, 1, 1, 1, 1], charges: [0, 0, 0, 0, 0],
                             positions: [-0.0127, 1.0858, 0.0080, 0.0022, -0.0060, 0.0020, 1.0117, 1.4638, 0.0003,
                                         -0.5408, 1.4475, -0.8766, -0.5238, 1.4379, 0.9064], properties: [1.5, -2]),
            PreparedMolecule(smiles: "O", atomicNumbers: [8, 1, 1], charges: [0, 0, 0],
                             positions: [-0.0344, 0.9775, 0.0076, 0.0647, 0.0206, 0.0015, 0.8717, 1.3008, 0.0007], properties: [2.5, .nan]),
            PreparedMolecule(smiles: "F", atomicNumbers: [9, 1], charges: [-1, 0], positions: [0, 0, 0, 0, 0, 0.917], properties: [3.5, 4]),
        ]
        return (0 ..< count).map { templates[$0 % templates.count] }
    }

    @Test func writesReadsAndDescribesTheMoleculeSet() throws {
        let directory = try TemporaryDirectory.create("molecule-set")
        let path = directory.appendingPathComponent("set.h5").path
        let molecules = Self.molecules(30)
        try MoleculeDataset.write(molecules, to: path, source: "three.smi", propertyNames: ["a", "b"], qm9: false, seed: 7)

        let file = try HDF5File(readingFrom: path)
        #expect(MoleculeDataset.isMoleculeSet(file))
        typealias Dataset = MoleculeDataset.Dataset
        #expect(try file.root.datasetNames() == [Dataset.atomOffsets, Dataset.atomicNumbers, Dataset.charges, Dataset.positions,
                                                 Dataset.properties, Dataset.smiles])
        #expect(try file.dataset(Dataset.charges).read(Int8.self).values == molecules.flatMap(\.charges))
        let properties = try file.dataset(Dataset.properties).read(Double.self, rank: 2)
        #expect(properties.shape == [30, 2] && properties.values[0] == 1.5 && properties.values[3].isNaN)

        // Read: the split's molecules as graphs over the set's vocabulary, in file order.
        let expected = MoleculeDataset.splits(count: 30, qm9: false, seed: 7)
        let train = try MoleculeDataset.read(file, split: "train")
        #expect(train.members == expected.train && train.atomicNumbers == [1, 6, 8, 9])
        #expect(train.positions == molecules.flatMap(\.positions))
        #expect(train.nodeCounts == expected.train.map { molecules[$0].atomicNumbers.count })
        #expect(try MoleculeDataset.read(file, split: "test", limit: 2).members == Array(expected.test.prefix(2)))
        #expect(try MoleculeDataset.readSMILES(path) == expected.train.map { molecules[$0].smiles })

        // Describe: sizes, splits, elements, source and property names.
        let description = try MoleculeDataset.describe(file)
        #expect(description == MoleculeDataset.Description(
            path: path, molecules: 30, atoms: 100, atomsPerMolecule: .init(min: 2, max: 5, mean: 100.0 / 30),
            atomicNumberCounts: [1: 70, 6: 10, 8: 10, 9: 10], splits: ["train": 24, "valid": 3, "test": 3],
            source: "three.smi", properties: ["a", "b"]))
        let info = try InfoCommand.describe(path)
        #expect(info["kind"] as? String == "molecule dataset")
        #expect(info["atomic_number_counts"] as? [String: Int] == ["1": 70, "6": 10, "8": 10, "9": 10])
        #expect(info["properties"] as? [String] == ["a", "b"])
    }

    /// A missing or empty split is an error naming the input dataset, for molecules and shapes.
    @Test func splitErrorsNameTheInputDataset() throws {
        let directory = try TemporaryDirectory.create("split-errors")
        let molecules = directory.appendingPathComponent("two.h5").path
        try MoleculeDataset.write(Self.molecules(2), to: molecules, source: "x", propertyNames: ["a", "b"], qm9: false, seed: 1)
        #expect(throws: PipelineError.invalidDataset(path: molecules, reason: "split 'valid' is empty")) {
            try TrainingData.open(molecules, split: "valid")
        }
        #expect(throws: PipelineError.invalidDataset(path: molecules, reason: "no split 'val' (expected dataset splits/val)")) {
            try TrainingData.open(molecules, split: "val")
        }

        let shapes = directory.appendingPathComponent("shapes.h5").path
        let cloud = PointCloud(flatPositions: (0 ..< 24).map { Float($0) })
        try ShapeNetLayout.write([.init(category: "box", split: "train", clouds: [cloud, cloud]),
                                  .init(category: "box", split: "val", clouds: [])], pointCount: 8, to: shapes)
        #expect(throws: PointCloudError.empty(file: shapes, reason: "the 'val' datasets hold no clouds")) {
            try TrainingData.open(shapes, split: "val")
        }
        let reason = "neither an rgdm molecule set (format attribute) nor a shape set with 'test' datasets under category groups"
        #expect(throws: PipelineError.invalidDataset(path: shapes, reason: reason)) { try TrainingData.open(shapes, split: "test") }
        guard case let .shapes(source) = try TrainingData.open(shapes, split: "train", limit: 1) else {
            Issue.record("the shape set opened as molecules"); return
        }
        #expect(source.count == 1 && source.pointCount == 8 && source.points == cloud.flatPositions)
    }

    /// `rgdm info` describes every point-cloud layout through its owner.
    @Test func infoDescribesPointCloudSetsThroughTheirOwners() throws {
        let directory = try TemporaryDirectory.create("info-clouds")
        let path = directory.appendingPathComponent("clouds.h5").path
        let cloud = PointCloud(flatPositions: (0 ..< 12).map { Float($0) })
        try RGDMCloudLayout.write([cloud, cloud], categories: ["x", "y"], to: path)
        let info = try InfoCommand.describe(path)
        #expect(info["kind"] as? String == "point-cloud set (rgdm layout)")
        #expect(info["datasets"] as? [String: [Int]] == ["/points": [2, 4, 3], "/labels": [2]])
        #expect(info["categories"] as? [String] == ["x", "y"])

        let other = directory.appendingPathComponent("other.h5").path
        let file = try HDF5File(creating: other)
        try file.root.createDataset("values", values: [1.0], shape: [1])
        try file.commit()
        let reason = "neither an rgdm molecule set nor a point-cloud set (ShapeNet, ModelNet40 or rgdm layout)"
        #expect(throws: PipelineError.invalidDataset(path: other, reason: reason)) { try InfoCommand.describe(other) }
    }
}
