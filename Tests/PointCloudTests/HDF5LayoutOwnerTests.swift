import Foundation
import HDF5
import Testing
import TestSupport
@testable import PointCloud

/// Each point-cloud layout's owner reads back what it writes and describes the datasets it names.
@Suite(.temporaryDirectories) struct HDF5LayoutOwnerTests {
    /// `count` clouds of `points` points, distinct values per cloud.
    private func clouds(_ count: Int, points: Int, offset: Float) -> [PointCloud] {
        (0 ..< count).map { c in
            PointCloud(flatPositions: (0 ..< points * 3).map { Float($0) * 0.125 + Float(c) + offset })
        }
    }

    private func scratch() throws -> String { try Fixture.scratchDirectory() }

    @Test func shapeNetLayoutRoundTripsAndDescribesItsDatasets() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/shapes.h5"
        let mugs = clouds(3, points: 8, offset: 100), chairsTrain = clouds(2, points: 8, offset: 0), chairsTest = clouds(1, points: 8, offset: 50)
        try ShapeNetLayout.write([.init(category: "mug", split: "train", clouds: mugs),
                                  .init(category: "chair", split: "train", clouds: chairsTrain),
                                  .init(category: "chair", split: "test", clouds: chairsTest)],
                                 pointCount: 8, to: path, attributes: [ShapeNetLayout.Attribute.format: .string(ShapeNetLayout.format)])
        let file = try HDF5File(readingFrom: path)
        #expect(try file.root.stringAttribute(ShapeNetLayout.Attribute.format) == "rgdm-shapes")
        #expect(try PointCloudHDF5.layout(of: file) == .shapenet)

        let all = try ShapeNetLayout.read(file)
        #expect(all.clouds == chairsTrain + chairsTest + mugs)
        #expect(all.categories == ["chair", "chair", "chair", "mug", "mug", "mug"])
        #expect(try ShapeNetLayout.read(file, split: "test").clouds == chairsTest)
        #expect(try ShapeNetLayout.read(file, categories: ["mug"]).clouds == mugs)

        let train = try #require(try ShapeNetLayout.readSplit(file, split: "train"))
        #expect(train.pointCount == 8 && train.count == 5)
        #expect(train.points == (chairsTrain + mugs).flatMap(\.flatPositions))
        #expect(try ShapeNetLayout.readSplit(file, split: "val") == nil)

        let description = try ShapeNetLayout.describe(file)
        #expect(description.layout == .shapenet && description.path == path)
        #expect(description.datasets == ["/chair/test": [1, 8, 3], "/chair/train": [2, 8, 3], "/mug/train": [3, 8, 3]])
        #expect(description.categories == ["chair", "mug"])
        #expect(try PointCloudHDF5.describe(file) == description)
        let json = description.json
        #expect(json["kind"] as? String == "shape dataset")
        let categories = try #require(json["categories"] as? [String: [String: [Int]]])
        #expect(categories == ["chair": ["test": [1, 8, 3], "train": [2, 8, 3]], "mug": ["train": [3, 8, 3]]])
    }

    /// Training reads one split of every category: an empty split and clouds of different sizes
    /// are errors naming the input file and, where there is one, the dataset.
    @Test func shapeNetSplitErrorsNameTheInputFile() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/set.h5"
        let file = try HDF5File(creating: path)
        try file.root.createDataset("a/train", values: clouds(2, points: 8, offset: 0).flatMap(\.flatPositions), shape: [2, 8, 3])
        try file.root.createDataset("b/train", values: clouds(1, points: 16, offset: 0).flatMap(\.flatPositions), shape: [1, 16, 3])
        try file.root.createDataset("a/val", values: [Float](), shape: [0, 8, 3])
        try file.root.createDataset("a/test", values: [Float](), shape: [2, 0, 3])
        try file.commit()
        let input = try HDF5File(readingFrom: path)
        #expect(throws: PointCloudError.malformed(file: path, element: "/b/train", reason: "16 points per shape, others 8")) {
            try ShapeNetLayout.readSplit(input, split: "train")
        }
        #expect(throws: PointCloudError.empty(file: path, reason: "the 'val' datasets hold no clouds")) {
            try ShapeNetLayout.readSplit(input, split: "val")
        }
        #expect(throws: PointCloudError.empty(file: path, reason: "/a/test: shape [2, 0, 3]: clouds of zero points")) {
            try ShapeNetLayout.readSplit(input, split: "test")
        }
        #expect(try ShapeNetLayout.readSplit(input, split: "valid") == nil)
    }

    @Test func rgdmLayoutRoundTripsAndDescribesItsDatasets() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/clouds.h5"
        var written = clouds(3, points: 4, offset: 0)
        for index in written.indices { written[index].normals = Array(repeating: SIMD3(0, 0, 1), count: 4) }
        try RGDMCloudLayout.write(written, categories: ["b", "a", "b"], to: path)
        let file = try HDF5File(readingFrom: path)
        #expect(try file.root.stringAttribute(RGDMCloudLayout.Attribute.format) == RGDMCloudLayout.format)
        let back = try RGDMCloudLayout.read(file)
        #expect(back.clouds == written && back.categories == ["b", "a", "b"])
        #expect(try RGDMCloudLayout.read(file, categories: ["a"]).clouds == [written[1]])
        let description = try PointCloudHDF5.describe(file)
        #expect(description.layout == .rgdm)
        #expect(description.datasets == ["/points": [3, 4, 3], "/normals": [3, 4, 3], "/labels": [3]])
        #expect(description.categories == ["a", "b"])
        #expect(description.json["kind"] as? String == "point-cloud set (rgdm layout)")
        #expect(throws: PointCloudError.invalidRequest("\(directory)/uneven.h5: HDF5 sets need clouds of one size (got [4, 8])")) {
            try RGDMCloudLayout.write([written[0], clouds(1, points: 8, offset: 0)[0]], to: directory + "/uneven.h5")
        }
    }

    @Test func modelNet40LayoutReadsAndDescribesH5pysFile() throws {
        let path = Fixture.path("hdf5/modelnet40_like.h5")
        let file = try HDF5File(readingFrom: path)
        #expect(try PointCloudHDF5.layout(of: file) == .modelnet40)
        let set = try ModelNet40Layout.read(file)
        #expect(set.clouds.count == 6 && set.clouds.allSatisfy { $0.count == 32 && $0.normals != nil })
        let labels = try file.dataset(ModelNet40Layout.Dataset.label).read(Int.self).values
        #expect(set.categories == labels.map(String.init))
        let description = try ModelNet40Layout.describe(file)
        #expect(description.datasets == ["/data": [6, 32, 3], "/label": [6, 1], "/normal": [6, 32, 3]])
        #expect(description.json["kind"] as? String == "point-cloud set (ModelNet40 layout)")
    }

    @Test func aFileOfNoLayoutIsUnsupported() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/other.h5"
        let file = try HDF5File(creating: path)
        try file.root.createDataset("group/values", values: [1.0, 2.0], shape: [2])
        try file.commit()
        let reason = "no 'points' (rgdm), 'data' (ModelNet40) or '<category>/{train,val,test}' (ShapeNet) datasets"
        #expect(throws: PointCloudError.unsupportedFormat(file: path, reason: reason)) {
            try PointCloudHDF5.describe(HDF5File(readingFrom: path))
        }
        #expect(throws: PointCloudError.unsupportedFormat(file: path, reason: reason)) { try PointCloudHDF5.read(path) }
    }
}
