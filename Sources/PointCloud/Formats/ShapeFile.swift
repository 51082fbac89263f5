import Foundation

/// File formats for shapes, chosen by extension.
public enum ShapeFileFormat: String, CaseIterable, Sendable {
    case ply, xyz, pts, off, obj, stl, hdf5

    /// The format for a path's extension (`.h5`, `.hdf5` and `.he5` are HDF5), or nil.
    public init?(path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "ply": self = .ply
        case "xyz": self = .xyz
        case "pts": self = .pts
        case "off": self = .off
        case "obj": self = .obj
        case "stl": self = .stl
        case "h5", "hdf5", "he5": self = .hdf5
        default: return nil
        }
    }

    /// Whether files of this format are usually meshes (sampled on their surface).
    public var isMesh: Bool { self == .off || self == .obj || self == .stl }
}

/// What a shape file holds: points, or a surface to sample.
public enum Shape: Sendable {
    case cloud(PointCloud)
    case mesh(TriangleMesh)
}

/// How clouds with more points than asked for are thinned.
public enum CloudSubsampling: String, CaseIterable, Sendable {
    case random
    case farthestPoint = "fps"
}

/// Reading and writing any supported shape file.
public enum ShapeFile {
    /// Reads one shape. PLY, OFF and OBJ files with faces are meshes, without faces clouds. HDF5 files give
    /// their first cloud (use `PointCloudHDF5.read` for sets).
    public static func read(_ path: String, format: ShapeFileFormat? = nil) throws -> Shape {
        guard let format = format ?? ShapeFileFormat(path: path) else {
            throw PointCloudError.unsupportedFormat(file: path, reason: "unknown extension (expected \(ShapeFileFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        switch format {
        case .ply:
            let contents = try PLYFile.read(path)
            if !contents.triangles.isEmpty { return .mesh(contents.mesh) }
            guard !contents.cloud.isEmpty else { throw PointCloudError.empty(file: path, reason: "no vertices") }
            return .cloud(contents.cloud)
        case .xyz: return .cloud(try XYZFile.read(path, flavour: .xyz))
        case .pts: return .cloud(try XYZFile.read(path, flavour: .pts))
        case .off, .obj:
            // OFF and OBJ files without faces are point sets (CGAL ships point clouds as OFF).
            let mesh = format == .off ? try OFFFile.read(path) : try OBJFile.read(path)
            if mesh.triangles.isEmpty {
                guard !mesh.vertices.isEmpty else { throw PointCloudError.empty(file: path, reason: "no vertices and no faces") }
                return .cloud(PointCloud(positions: mesh.vertices))
            }
            return .mesh(mesh)
        case .stl: return .mesh(try STLFile.read(path))
        case .hdf5:
            let set = try PointCloudHDF5.read(path)
            guard let first = set.clouds.first else { throw PointCloudError.empty(file: path, reason: "no clouds") }
            return .cloud(first)
        }
    }

    /// Reads every cloud a file holds: all of an HDF5 set, or the one shape of any other file
    /// (meshes sampled with `meshPoints` points).
    public static func readClouds(_ path: String, meshPoints: Int = 2048, split: String? = nil,
                                  using generator: inout some RandomNumberGenerator) throws -> PointCloudSet {
        if ShapeFileFormat(path: path) == .hdf5 { return try PointCloudHDF5.read(path, split: split) }
        let cloud = try read(path).pointCloud(count: nil, meshPoints: meshPoints, file: path, using: &generator)
        return PointCloudSet(clouds: [cloud], categories: [""])
    }

    /// Writes one cloud; HDF5 gets the rgdm layout with one cloud.
    public static func write(_ cloud: PointCloud, to path: String, format: ShapeFileFormat? = nil) throws {
        guard let format = format ?? ShapeFileFormat(path: path) else {
            throw PointCloudError.unsupportedFormat(file: path, reason: "unknown extension for writing")
        }
        switch format {
        case .ply: try PLYFile.write(cloud, to: path)
        case .xyz: try XYZFile.write(cloud, to: path, flavour: .xyz)
        case .pts: try XYZFile.write(cloud, to: path, flavour: .pts)
        case .obj: try OBJFile.write(cloud, to: path)
        case .hdf5: try PointCloudHDF5.write([cloud], to: path)
        case .off, .stl:
            throw PointCloudError.unsupportedFormat(file: path, reason: "\(format.rawValue) holds meshes; point clouds are written as ply, xyz, pts, obj or h5")
        }
    }
}

extension Shape {
    /// A cloud of `count` points (nil: a cloud as it is, a mesh sampled with `meshPoints`):
    /// meshes are sampled on their surface (area-weighted); larger clouds are thinned by
    /// `subsampling`; smaller clouds are an error naming `file`.
    public func pointCloud(count: Int?, meshPoints: Int = 2048, subsampling: CloudSubsampling = .random, file: String,
                           using generator: inout some RandomNumberGenerator) throws -> PointCloud {
        switch self {
        case let .mesh(mesh):
            return try mesh.sampleSurface(count: count ?? meshPoints, file: file, using: &generator)
        case let .cloud(cloud):
            try cloud.checkFinite(file: file)
            guard let count, count != cloud.count else { return cloud }
            guard cloud.count > count else {
                throw PointCloudError.invalidRequest("\(file): has \(cloud.count) points, fewer than the \(count) asked for")
            }
            switch subsampling {
            case .random: return cloud.randomSubset(count: count, using: &generator)
            case .farthestPoint: return cloud.farthestPointSubset(count: count, using: &generator)
            }
        }
    }
}
