import Foundation
import HDF5
import Testing
import TestSupport
@testable import PointCloud

/// The point-cloud HDF5 layouts: h5py's ModelNet40 and ShapeNet files (Fixtures/make_hdf5_fixtures.py),
/// malformed files (Fixtures/make_malformed_hdf5_fixtures.py) and round trips.
@Suite(.temporaryDirectories) struct PointCloudHDF5Tests {
    /// What h5py read from `dataset` of the fixture `file` (hdf5/expected.json).
    private func expectedValues(_ file: String, _ dataset: String) throws -> [String: Any] {
        let all = try Fixture.json("hdf5/expected.json")
        let entry = try #require(all[file] as? [String: Any])
        let datasets = try #require(entry["datasets"] as? [String: Any])
        return try #require(datasets[dataset] as? [String: Any], "no \(dataset) in expected.json for \(file)")
    }

    @Test func readsTheModelNet40AndShapeNetLayouts() throws {
        let modelnet = try HDF5File(readingFrom: Fixture.path("hdf5/modelnet40_like.h5"))
        let data = try modelnet.dataset("data").read(Float.self, rank: 3)
        #expect(data.shape == [6, 32, 3])
        let labels = try modelnet.dataset("label").read(Int.self, rank: 2)
        let expectedLabels = try #require(exactDoubles(try expectedValues("modelnet40_like.h5", "/label")["values"]))
        #expect(labels.values == expectedLabels.map { Int($0) })

        let shapenet = try HDF5File(readingFrom: Fixture.path("hdf5/shapenet_like.h5"))
        #expect(try shapenet.root.groupNames() == ["02691156", "03001627"])
        let val = try shapenet.dataset("/03001627/test").read(Double.self, rank: 3)
        let expectedVal = try #require(exactDoubles(try expectedValues("shapenet_like.h5", "/03001627/test")["values"]))
        #expect(val.shape == [2, 40, 3])
        #expect(val.values == expectedVal)
    }

    @Test func malformedPointCloudHDF5GivesTypedErrorsNamingFileAndDataset() throws {
        // Clouds of zero points would reach the metrics' preconditions (`evaluate shapes`).
        let empty = Fixture.path("hdf5/empty_clouds.h5")
        #expect(throws: PointCloudError.empty(file: empty, reason: "/points: shape [2, 0, 3]: clouds of zero points")) {
            try PointCloudHDF5.read(empty)
        }
        #expect(throws: PointCloudError.empty(file: empty, reason: "/points: shape [2, 0, 3]: clouds of zero points")) {
            try PointCloudHDF5.readCloud(empty, dataset: "/points", index: 0)
        }
        // A shape whose element count overflows Int: a typed HDF5 error, not a trap.
        let huge = Fixture.path("hdf5/huge_shape.h5")
        do {
            _ = try PointCloudHDF5.read(huge)
            Issue.record("huge_shape.h5 was read")
        } catch let PointCloudError.hdf5(.invalidRequest(file, object, reason)) {
            #expect(file == huge && object.hasSuffix("points") && reason.contains("overflows"), "\(object): \(reason)")
        }
        // rgdm layout: labels must match the clouds one to one (no silent truncation by zip).
        let mismatch = Fixture.path("hdf5/labels_mismatch.h5")
        #expect(throws: PointCloudError.malformed(file: mismatch, element: "/labels", reason: "2 labels for 3 clouds")) {
            try PointCloudHDF5.read(mismatch)
        }
    }

    @Test func readsPointCloudHDF5Layouts() throws {
        let modelnet = try PointCloudHDF5.read(Fixture.path("hdf5/modelnet40_like.h5"))
        #expect(modelnet.clouds.count == 6 && modelnet.clouds[0].count == 32 && modelnet.clouds[0].normals != nil)
        let shapenet = try PointCloudHDF5.read(Fixture.path("hdf5/shapenet_like.h5"), split: "train")
        #expect(shapenet.clouds.count == 7)
        #expect(shapenet.categories == Array(repeating: "02691156", count: 4) + Array(repeating: "03001627", count: 3))
        let chairs = try PointCloudHDF5.read(Fixture.path("hdf5/shapenet_like.h5"), categories: ["03001627"])
        #expect(chairs.clouds.count == 6)
        // One sample by hyperslab equals the same cloud from the whole read.
        let one = try PointCloudHDF5.readCloud(Fixture.path("hdf5/shapenet_like.h5"), dataset: "/02691156/train", index: 2)
        #expect(one == shapenet.clouds[2])
        // Wrong rank is a typed error naming file and dataset.
        let directory = try Fixture.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flat = directory + "/flat.h5"
        let file = try HDF5File(creating: flat)
        try file.root.createDataset("wrong_rank", values: [Float](repeating: 0, count: 12), shape: [4, 3])
        try file.commit()
        #expect(throws: PointCloudError.hdf5(.wrongRank(file: flat, dataset: "/wrong_rank", expected: 3, shape: [4, 3]))) {
            try PointCloudHDF5.readCloud(flat, dataset: "/wrong_rank", index: 0)
        }
        // rgdm layout round trip with categories.
        try PointCloudHDF5.write(modelnet.clouds, categories: ["a", "b", "a", "c", "b", "a"], to: directory + "/set.h5")
        let back = try PointCloudHDF5.read(directory + "/set.h5")
        #expect(back.clouds == modelnet.clouds)
        #expect(back.categories == ["a", "b", "a", "c", "b", "a"])
        #expect(try PointCloudHDF5.read(directory + "/set.h5", categories: ["b"]).clouds.count == 2)
    }
}
