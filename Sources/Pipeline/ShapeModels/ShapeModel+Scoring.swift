import Diffusion
import Foundation
import PointCloud

/// A cloud to score and the name reports give it: a file, or a cloud of an HDF5 set.
public struct NamedCloud: Sendable {
    public var name: String
    /// The category the source gives it (an HDF5 set's), nil for a lone file.
    public var category: String?
    public var cloud: PointCloud
}

extension ShapeModel {
    /// Every cloud of `paths`: each cloud of an HDF5 set (of `split` when given), a point-cloud
    /// file as it is, a mesh sampled on its surface with `meshPoints` points (seeded by `seed`),
    /// folders searched for shape files. A file that cannot be read goes to `reject` with its
    /// reason and the rest are read.
    public static func readClouds(_ paths: [String], split: String?, meshPoints: Int, seed: UInt64,
                                  reject: (String) -> Void) throws -> [NamedCloud] {
        var generator = Xoshiro256StarStar(seed: seed)
        var result: [NamedCloud] = []
        for input in try ShapeInputs.collect(paths.filter { ShapeFileFormat(path: $0) != .hdf5 }, category: nil) {
            do {
                let cloud = try ShapeFile.read(input.path).pointCloud(count: nil, meshPoints: meshPoints, file: input.path, using: &generator)
                result.append(NamedCloud(name: input.path, category: nil, cloud: cloud))
            } catch let error as PointCloudError {
                reject("\(error)")
            }
        }
        for path in paths where ShapeFileFormat(path: path) == .hdf5 {
            let set = try PointCloudHDF5.read(path, split: split)
            var indexInCategory: [String: Int] = [:]
            for (cloud, category) in zip(set.clouds, set.categories) {
                let index = indexInCategory[category, default: 0]
                indexInCategory[category] = index + 1
                result.append(NamedCloud(name: "\(path):\(category.isEmpty ? "" : category + "/")\(split ?? "")[\(index)]",
                                         category: category.isEmpty ? nil : category, cloud: cloud))
            }
        }
        return result
    }
}
