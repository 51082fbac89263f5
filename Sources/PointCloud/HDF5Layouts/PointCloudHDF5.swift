import HDF5

/// The HDF5 layouts of point-cloud sets. Each has one owner type that writes (where rgdm writes
/// it), reads and describes it, with its dataset and attribute names:
///
/// - `.modelnet40`, `ModelNet40Layout`: PointNet's `modelnet40_ply_hdf5_2048`, `data` [B, N, 3];
/// - `.shapenet`, `ShapeNetLayout`: Luo & Hu's `shapenet.hdf5` and what `rgdm preprocess shapes`
///   and `rgdm sample` write, `/<category>/{train,val,test}` [B, N, 3];
/// - `.rgdm`, `RGDMCloudLayout`: what `rgdm convert` writes, `points` [B, N, 3] with labels
///   naming categories.
public enum PointCloudHDF5Layout: String, CaseIterable, Sendable {
    case modelnet40, shapenet, rgdm
}

/// Any point-cloud HDF5 file: finds its layout and asks that layout's owner.
public enum PointCloudHDF5 {
    /// The layout of an open file, or `.unsupportedFormat`.
    public static func layout(of file: HDF5File) throws -> PointCloudHDF5Layout {
        if RGDMCloudLayout.matches(file) { return .rgdm }
        if ModelNet40Layout.matches(file) { return .modelnet40 }
        if try ShapeNetLayout.matches(file) { return .shapenet }
        throw PointCloudError.unsupportedFormat(file: file.path, reason: "no 'points' (rgdm), 'data' (ModelNet40) or '<category>/{train,val,test}' (ShapeNet) datasets")
    }

    /// Reads every cloud (ShapeNet: of `split` when given, of all splits otherwise; of the
    /// `categories` when given). Coordinates must be finite.
    public static func read(_ path: String, split: String? = nil, categories: Set<String>? = nil) throws -> PointCloudSet {
        let file = try PointCloudError.mappingHDF5 { try HDF5File(readingFrom: path) }
        switch try layout(of: file) {
        case .modelnet40: return try ModelNet40Layout.read(file, categories: categories)
        case .rgdm: return try RGDMCloudLayout.read(file, categories: categories)
        case .shapenet: return try ShapeNetLayout.read(file, split: split, categories: categories)
        }
    }

    /// What the file holds, from its layout's owner.
    public static func describe(_ file: HDF5File) throws -> PointCloudHDF5Description {
        switch try layout(of: file) {
        case .modelnet40: return try ModelNet40Layout.describe(file)
        case .rgdm: return try RGDMCloudLayout.describe(file)
        case .shapenet: return try ShapeNetLayout.describe(file)
        }
    }

    /// Writes clouds of equal size in the rgdm layout (categories optional), atomically.
    public static func write(_ clouds: [PointCloud], categories: [String]? = nil, to path: String,
                             storage: HDF5Storage = .compressed(level: 4)) throws {
        try RGDMCloudLayout.write(clouds, categories: categories, to: path, storage: storage)
    }

    /// Cloud `index` of a [B, N, 3] dataset in any layout, read by hyperslab (the rest stays on disk).
    public static func readCloud(_ path: String, dataset: String, index: Int) throws -> PointCloud {
        try PointCloudError.mappingHDF5 {
            let file = try HDF5File(readingFrom: path)
            let shape = try file.dataset(dataset).shape()
            guard shape.count == 3, shape[2] == 3 else {
                throw HDF5Error.wrongRank(file: path, dataset: dataset, expected: 3, shape: shape)
            }
            guard shape[1] > 0 else {
                throw PointCloudError.empty(file: path, reason: "\(dataset): shape \(shape): clouds of zero points")
            }
            let row = try file.dataset(dataset).readRows(index ..< index + 1, as: Float.self)
            let cloud = PointCloud(flatPositions: row.values)
            try cloud.checkFinite(file: path + ":" + dataset + "[\(index)]")
            return cloud
        }
    }
}
