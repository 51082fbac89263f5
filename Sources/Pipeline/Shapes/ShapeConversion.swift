import Diffusion
import Foundation
import PointCloud

/// `rgdm convert`: one shape file to a cloud file of another format, or an HDF5 shape set
/// (ModelNet40, ShapeNet or rgdm layout) to an HDF5 set in rgdm's layout or to a folder of one
/// file per cloud. The extensions (and a trailing `/` or an existing folder) pick the route.
struct ShapeConversion {
    /// Where a conversion goes.
    enum Route: Equatable, Sendable {
        /// One shape file to one cloud file in this format (a mesh is sampled on its surface).
        case fileToFile(ShapeFileFormat)
        /// An HDF5 set to one HDF5 file in rgdm's layout, categories kept.
        case setToSet
        /// An HDF5 set to a folder of `<category>_<index>.<ext>` files in this format.
        case setToFolder(ShapeFileFormat)
    }

    /// What a conversion wrote.
    struct Outcome: Equatable, Sendable {
        var route: Route
        /// Clouds written.
        var clouds: Int
        /// `fileToFile`: the points of the cloud written, and whether the input was a mesh sampled to them.
        var points: Int?
        var sampledMesh = false
    }

    /// Points of a sampled mesh when `points` is not given.
    static let defaultMeshPoints = 2048

    /// Points per cloud (meshes: `defaultMeshPoints` when nil; clouds: kept whole when nil).
    var points: Int?
    var normalization: PointCloudNormalization = .none
    var subsampling: CloudSubsampling = .random
    /// The format of a folder's files, and of an output file whose extension names none.
    var format: ShapeFileFormat?
    var plyEncoding: PLYFile.Encoding = .binaryLittleEndian
    /// The split read from ShapeNet-layout inputs (nil: all).
    var split: String?
    /// Seeds mesh sampling and subsampling, cloud after cloud.
    var seed: UInt64 = 0

    /// The route from `input` to `output`, or the reason there is none: an input extension that
    /// names no shape format (`PipelineError.invalidDataset`), an output that cannot take what the
    /// input holds (`PipelineError.unsupportedOutput`).
    func route(from input: String, to output: String) throws -> Route {
        guard let inputFormat = ShapeFileFormat(path: input) else {
            throw PipelineError.invalidDataset(path: input, reason: "unknown input extension")
        }
        let isFolder = Self.isFolder(output)
        if inputFormat == .hdf5 {
            if isFolder { return .setToFolder(try Self.writable(format ?? .ply, path: output)) }
            guard ShapeFileFormat(path: output) == .hdf5 else {
                throw PipelineError.unsupportedOutput(
                    path: output, reason: "an HDF5 set converts to an .h5 file or to a folder (give OUTPUT/ and --format)")
            }
            return .setToSet
        }
        guard !isFolder else {
            throw PipelineError.unsupportedOutput(path: output, reason: "one shape converts to one file; a folder takes an HDF5 set")
        }
        guard let format = ShapeFileFormat(path: output) ?? format else {
            throw PipelineError.unsupportedOutput(path: output, reason: "unknown output extension")
        }
        return .fileToFile(try Self.writable(format, path: output))
    }

    /// Converts `input` to `output` along `route(from:to:)`. Writes are atomic.
    func run(from input: String, to output: String) throws -> Outcome {
        let route = try route(from: input, to: output)
        var generator = Xoshiro256StarStar(seed: seed)
        switch route {
        case let .fileToFile(format):
            let shape = try ShapeFile.read(input)
            let cloud = try shape.pointCloud(count: points, meshPoints: points ?? Self.defaultMeshPoints, subsampling: subsampling,
                                             file: input, using: &generator)
                .normalized(normalization)
            try write(cloud, to: output, format: format)
            if case .mesh = shape { return Outcome(route: route, clouds: 1, points: cloud.count, sampledMesh: true) }
            return Outcome(route: route, clouds: 1, points: cloud.count)
        case .setToSet, .setToFolder:
            let set = try PointCloudHDF5.read(input, split: split)
            let clouds = try set.clouds.enumerated().map { index, cloud in
                try Shape.cloud(cloud).pointCloud(count: points, subsampling: subsampling, file: "\(input)[\(index)]", using: &generator)
                    .normalized(normalization)
            }
            if case let .setToFolder(format) = route {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for (index, cloud) in clouds.enumerated() {
                    let name = "\(set.categories[index].isEmpty ? "cloud" : set.categories[index])_\(String(format: "%05d", index)).\(format == .hdf5 ? "h5" : format.rawValue)"
                    try write(cloud, to: URL(fileURLWithPath: output).appendingPathComponent(name).path, format: format)
                }
            } else {
                try PointCloudHDF5.write(clouds, categories: set.categories, to: output)
            }
            return Outcome(route: route, clouds: clouds.count)
        }
    }

    private func write(_ cloud: PointCloud, to path: String, format: ShapeFileFormat) throws {
        if format == .ply { try PLYFile.write(cloud, to: path, encoding: plyEncoding) } else { try ShapeFile.write(cloud, to: path, format: format) }
    }

    /// A path ending in `/` or an existing folder.
    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    /// `format` when clouds can be written in it (OFF and STL hold meshes).
    private static func writable(_ format: ShapeFileFormat, path: String) throws -> ShapeFileFormat {
        guard format != .off, format != .stl else {
            throw PipelineError.unsupportedOutput(
                path: path, reason: "\(format.rawValue) holds meshes; point clouds are written as ply, xyz, pts, obj or h5")
        }
        return format
    }
}
