import Diffusion
import Foundation
import PointCloud

/// Loads a set of clouds for evaluation: an HDF5 file (any layout PointCloudHDF5 reads), a
/// folder of shape files, or one shape file; then brings every cloud to one size and
/// normalises it.
struct ShapeSetLoader {
    var split: String?
    var categories: Set<String>?
    var points: Int?
    var normalization: PointCloudNormalization
    var limit: Int?
    var seed: UInt64

    /// The clouds, and notes for stderr (fallbacks taken).
    func load(_ path: String) throws -> (clouds: [PointCloud], notes: [String]) {
        var notes: [String] = []
        var generator = Xoshiro256StarStar(seed: seed ^ path.hashValueStable)
        var set: PointCloudSet
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PointCloudError.io(file: path, reason: "no such file or folder")
        }
        if isDirectory.boolValue {
            set = PointCloudSet(clouds: [], categories: [])
            for input in try ShapeInputs.collect([path], category: nil) {
                do {   // a bad file is skipped with its reason; the rest are evaluated
                    let cloud = try ShapeFile.read(input.path).pointCloud(count: nil, meshPoints: points ?? 2048, file: input.path, using: &generator)
                    set.clouds.append(cloud)
                    set.categories.append(input.category)
                } catch let error as PointCloudError {
                    notes.append("skipped \(error)")
                }
            }
        } else if ShapeFileFormat(path: path) == .hdf5 {
            set = try PointCloudHDF5.read(path, split: split, categories: categories)
            if set.clouds.isEmpty, split != nil {
                set = try PointCloudHDF5.read(path, split: nil, categories: categories)
                notes.append("\(path): no '\(split ?? "")' split; using every split")
            }
        } else {
            set = try ShapeFile.readClouds(path, meshPoints: points ?? 2048, using: &generator)
        }
        guard !set.clouds.isEmpty else { throw PointCloudError.empty(file: path, reason: "no clouds (split \(split ?? "any"), categories \(categories.map { $0.sorted().joined(separator: ",") } ?? "all"))") }
        return (Self.evenlySpaced(set.clouds, limit: limit), notes)
    }

    /// At most `limit` of `clouds`, evenly spaced through the list: files hold their
    /// categories one after another, so the first `limit` would be one category alone
    /// and a 1-NNA against them meaningless.
    static func evenlySpaced<Element>(_ clouds: [Element], limit: Int?) -> [Element] {
        guard let limit, clouds.count > limit else { return clouds }
        return (0 ..< limit).map { clouds[$0 * clouds.count / limit] }
    }

    /// Thins every cloud of both sets to `count` points (default: the smallest cloud) and
    /// normalises them.
    func prepare(_ sets: [[PointCloud]]) throws -> [[PointCloud]] {
        let smallest = sets.flatMap { $0.map(\.count) }.min() ?? 0
        let target = points ?? smallest
        var generator = Xoshiro256StarStar(seed: seed &+ 17)
        return try sets.map { set in
            try set.enumerated().map { index, cloud in
                let sized = try Shape.cloud(cloud).pointCloud(count: target, file: "cloud \(index)", using: &generator)
                return sized.normalized(normalization)
            }
        }
    }
}
