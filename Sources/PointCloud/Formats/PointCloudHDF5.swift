import HDF5

/// Point-cloud sets in the HDF5 layouts researchers use.
///
/// - `.modelnet40` (PointNet's `modelnet40_ply_hdf5_2048`): `data` [B, N, 3] float32,
///   `label` [B, 1] uint8, optional `normal` [B, N, 3].
/// - `.shapenet` (Luo & Hu's `shapenet.hdf5`, and what `rgdm preprocess shapes` writes):
///   `/<category>/{train,val,test}` [B, N, 3] (category = synset id or name).
/// - `.rgdm` (`rgdm convert` of clouds): `points` [B, N, 3] float32, optional `normals`
///   [B, N, 3], `labels` [B] int64 indexing the root attribute `categories`; root attribute
///   `format = "rgdm-point-clouds"`.
public enum PointCloudHDF5Layout: String, CaseIterable, Sendable {
    case modelnet40, shapenet, rgdm
}

/// Clouds with a category name each.
public struct PointCloudSet: Sendable {
    public var clouds: [PointCloud]
    public var categories: [String]

    public init(clouds: [PointCloud], categories: [String]) {
        precondition(clouds.count == categories.count, "PointCloudSet: \(clouds.count) clouds, \(categories.count) categories")
        self.clouds = clouds
        self.categories = categories
    }
}

public enum PointCloudHDF5 {
    public static let splits = ["train", "val", "test"]

    /// The layout of an open file, or `.unsupportedFormat`.
    public static func layout(of file: HDF5File) throws -> PointCloudHDF5Layout {
        if file.contains("points") { return .rgdm }
        if file.contains("data") { return .modelnet40 }
        for group in try file.root.groupNames() where splits.contains(where: { file.contains("\(group)/\($0)") }) {
            return .shapenet
        }
        throw PointCloudError.unsupportedFormat(file: file.path, reason: "no 'points' (rgdm), 'data' (ModelNet40) or '<category>/{train,val,test}' (ShapeNet) datasets")
    }

    /// Reads every cloud (ShapeNet: of `split` when given, of all splits otherwise; of the
    /// `categories` when given). Coordinates must be finite.
    public static func read(_ path: String, split: String? = nil, categories: Set<String>? = nil) throws -> PointCloudSet {
        do {
            let file = try HDF5File(readingFrom: path)
            var result = PointCloudSet(clouds: [], categories: [])
            switch try layout(of: file) {
            case .modelnet40:
                let clouds = try batch(file, "data", normals: file.contains("normal") ? "normal" : nil)
                let labels = file.contains("label") ? try file.dataset("label").read(Int.self).values : Array(repeating: 0, count: clouds.count)
                guard labels.count == clouds.count else {
                    throw PointCloudError.malformed(file: path, element: "/label", reason: "\(labels.count) labels for \(clouds.count) clouds")
                }
                for (cloud, label) in zip(clouds, labels) where categories?.contains(String(label)) ?? true {
                    result.clouds.append(cloud); result.categories.append(String(label))
                }
            case .rgdm:
                let clouds = try batch(file, "points", normals: file.contains("normals") ? "normals" : nil)
                let names = file.root.hasAttribute("categories") ? try attributeStrings(file.root, "categories") : []
                let labels = file.contains("labels") ? try file.dataset("labels").read(Int.self).values : Array(repeating: 0, count: clouds.count)
                guard labels.count == clouds.count else {
                    throw PointCloudError.malformed(file: path, element: "/labels", reason: "\(labels.count) labels for \(clouds.count) clouds")
                }
                for (cloud, label) in zip(clouds, labels) {
                    let name = label >= 0 && label < names.count ? names[label] : String(label)
                    if categories?.contains(name) ?? true { result.clouds.append(cloud); result.categories.append(name) }
                }
            case .shapenet:
                for group in try file.root.groupNames() where categories?.contains(group) ?? true {
                    for s in splits where (split == nil || split == s) && file.contains("\(group)/\(s)") {
                        let clouds = try batch(file, "\(group)/\(s)", normals: nil)
                        result.clouds += clouds
                        result.categories += Array(repeating: group, count: clouds.count)
                    }
                }
            }
            return result
        } catch let error as HDF5Error {
            throw PointCloudError.hdf5(error)
        }
    }

    /// Cloud `index` of a [B, N, 3] dataset, read by hyperslab (the rest stays on disk).
    public static func readCloud(_ path: String, dataset: String, index: Int) throws -> PointCloud {
        do {
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
        } catch let error as HDF5Error {
            throw PointCloudError.hdf5(error)
        }
    }

    /// A [B, N, 3] dataset as clouds; `.hdf5(.wrongRank)` for any other shape.
    static func batch(_ file: HDF5File, _ name: String, normals: String?) throws -> [PointCloud] {
        let array = try file.dataset(name).read(Float.self, rank: 3)
        guard array.shape[2] == 3 else {
            throw PointCloudError.malformed(file: file.path, element: "/\(name)", reason: "shape \(array.shape): the last dimension must be 3")
        }
        // Zero points per cloud would reach the metrics (Chamfer, EMD), which need at least one.
        guard array.shape[0] == 0 || array.shape[1] > 0 else {
            throw PointCloudError.empty(file: file.path, reason: "/\(name): shape \(array.shape): clouds of zero points")
        }
        let normalArray = try normals.map { try file.dataset($0).read(Float.self, rank: 3) }
        if let normalArray, normalArray.shape != array.shape {
            throw PointCloudError.malformed(file: file.path, element: "/\(normals ?? "")", reason: "shape \(normalArray.shape) differs from \(array.shape)")
        }
        let stride = array.shape[1] * 3
        return try (0 ..< array.shape[0]).map { b in
            let cloud = PointCloud(flatPositions: Array(array.values[(b * stride) ..< ((b + 1) * stride)]),
                                   flatNormals: normalArray.map { Array($0.values[(b * stride) ..< ((b + 1) * stride)]) })
            if let index = cloud.firstNonFiniteIndex {
                throw PointCloudError.nonFinite(file: file.path, element: "/\(name)[\(b)] point \(index)")
            }
            return cloud
        }
    }

    private static func attributeStrings(_ object: some HDF5Object, _ name: String) throws -> [String] {
        switch try object.attribute(name) {
        case let .strings(values): return values
        case let .string(value): return [value]
        default: return []
        }
    }

    /// Writes clouds of equal size in the rgdm layout (categories optional), atomically.
    public static func write(_ clouds: [PointCloud], categories: [String]? = nil, to path: String,
                             storage: HDF5Storage = .compressed(level: 4)) throws {
        guard let n = clouds.first?.count, clouds.allSatisfy({ $0.count == n }) else {
            throw PointCloudError.invalidRequest("\(path): HDF5 sets need clouds of one size (got \(Set(clouds.map(\.count)).sorted()))")
        }
        do {
            let file = try HDF5File(creating: path)
            try file.root.setAttribute("format", .string("rgdm-point-clouds"))
            try file.root.createDataset("points", values: clouds.flatMap(\.flatPositions), shape: [clouds.count, n, 3], storage: storage)
            if clouds.allSatisfy({ $0.normals != nil }) {
                try file.root.createDataset("normals", values: clouds.flatMap { $0.flatNormals ?? [] }, shape: [clouds.count, n, 3], storage: storage)
            }
            if let categories {
                let names = Array(Set(categories)).sorted()
                try file.root.setAttribute("categories", .strings(names))
                let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
                try file.root.createDataset("labels", values: categories.map { index[$0] ?? 0 }, shape: [categories.count])
            }
            try file.commit()
        } catch let error as HDF5Error {
            throw PointCloudError.hdf5(error)
        }
    }

    /// Writes `/<category>/<split>` [B, N, 3] float32 datasets (the ShapeNet layout) with root
    /// attributes, atomically. Every cloud must have `pointCount` points.
    public static func writeShapeNet(_ groups: [(category: String, split: String, clouds: [PointCloud])], pointCount: Int,
                                     to path: String, attributes: [String: HDF5AttributeValue] = [:],
                                     storage: HDF5Storage = .compressed(level: 4)) throws {
        do {
            let file = try HDF5File(creating: path)
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) { try file.root.setAttribute(name, value) }
            for group in groups {
                guard group.clouds.allSatisfy({ $0.count == pointCount }) else {
                    throw PointCloudError.invalidRequest("\(path): \(group.category)/\(group.split): every cloud needs \(pointCount) points")
                }
                try file.root.createDataset("\(group.category)/\(group.split)", values: group.clouds.flatMap(\.flatPositions),
                                            shape: [group.clouds.count, pointCount, 3], storage: storage)
            }
            try file.commit()
        } catch let error as HDF5Error {
            throw PointCloudError.hdf5(error)
        }
    }
}
