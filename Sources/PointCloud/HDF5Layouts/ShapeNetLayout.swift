import HDF5

/// Owner of the ShapeNet layout: Luo & Hu's `shapenet.hdf5`, and what `rgdm preprocess shapes`
/// and `rgdm sample` write. One group per category (synset id or name), one float32 dataset of
/// `[B, N, 3]` clouds per split:
///
///     /02691156/train   [B, N, 3]
///     /02691156/val     [B, N, 3]
///     /02691156/test    [B, N, 3]
///     /03001627/…
///
/// Root attributes (`Attribute`) are optional; `rgdm preprocess shapes` records how the set was made.
public enum ShapeNetLayout {
    /// The splits, in the order sets list them.
    public static let splits = ["train", "val", "test"]
    /// The `format` attribute `rgdm preprocess shapes` writes.
    public static let format = "rgdm-shapes"
    /// The `layout` attribute `rgdm preprocess shapes` writes.
    public static let layoutSummary = "ShapeNet (Luo & Hu): /<category>/{train,val,test} [B, N, 3] float32"

    /// Names of the root attributes rgdm records.
    public enum Attribute {
        public static let format = "format"
        public static let layout = "layout"
        public static let generator = "generator"
        public static let points = "points"
        public static let normalization = "normalization"
        public static let seed = "seed"
        public static let splitFractions = "split_fractions"
        public static let categories = "categories"
        public static let rejected = "rejected"
        public static let synthetic = "synthetic"
        public static let source = "source"
    }

    /// The clouds of one category and split, every one of the set's point count.
    public struct Group: Sendable {
        public var category: String
        public var split: String
        public var clouds: [PointCloud]

        public init(category: String, split: String, clouds: [PointCloud]) {
            self.category = category
            self.split = split
            self.clouds = clouds
        }
    }

    /// The clouds of one split of every category, packed for training.
    public struct Split: Sendable, Equatable {
        /// All clouds, categories in name order: `[count, pointCount, 3]`.
        public var points: [Float]
        public var pointCount: Int
        public var count: Int { pointCount == 0 ? 0 : points.count / (pointCount * 3) }
    }

    /// The dataset of `category`'s `split`.
    public static func datasetPath(category: String, split: String) -> String { "\(category)/\(split)" }

    /// Whether `file` has a category group holding one of the splits.
    public static func matches(_ file: HDF5File) throws -> Bool {
        try PointCloudError.mappingHDF5 {
            try file.root.groupNames().contains { group in splits.contains { file.contains(datasetPath(category: group, split: $0)) } }
        }
    }

    /// The category groups, in name order.
    public static func categories(in file: HDF5File) throws -> [String] {
        try PointCloudError.mappingHDF5 { try file.root.groupNames() }
    }

    // MARK: Writing

    /// Writes `groups` with root `attributes` (in name order), atomically. Every cloud must have
    /// `pointCount` points.
    public static func write(_ groups: [Group], pointCount: Int, to path: String,
                             attributes: [String: HDF5AttributeValue] = [:],
                             storage: HDF5Storage = .compressed(level: 4)) throws {
        try PointCloudError.mappingHDF5 {
            let file = try HDF5File(creating: path)
            for (name, value) in attributes.sorted(by: { $0.key < $1.key }) { try file.root.setAttribute(name, value) }
            for group in groups {
                guard group.clouds.allSatisfy({ $0.count == pointCount }) else {
                    throw PointCloudError.invalidRequest("\(path): \(group.category)/\(group.split): every cloud needs \(pointCount) points")
                }
                try file.root.createDataset(datasetPath(category: group.category, split: group.split),
                                            values: group.clouds.flatMap(\.flatPositions),
                                            shape: [group.clouds.count, pointCount, 3], storage: storage)
            }
            try file.commit()
        }
    }

    // MARK: Reading

    /// The clouds of `split` (every split when nil) of `categories` (every category when nil),
    /// categories in name order and splits in `splits` order. Coordinates must be finite.
    public static func read(_ file: HDF5File, split: String? = nil, categories: Set<String>? = nil) throws -> PointCloudSet {
        try PointCloudError.mappingHDF5 {
            var set = PointCloudSet(clouds: [], categories: [])
            for group in try file.root.groupNames() where categories?.contains(group) ?? true {
                for s in splits where (split == nil || split == s) && file.contains(datasetPath(category: group, split: s)) {
                    set.append(try file.clouds(datasetPath(category: group, split: s), normals: nil), category: group)
                }
            }
            return set
        }
    }

    /// Every category's `split` dataset, concatenated in category name order, or nil when no
    /// category has that split. The clouds of every category must have one size; a split whose
    /// datasets hold no cloud is `.empty`, naming the file.
    public static func readSplit(_ file: HDF5File, split: String) throws -> Split? {
        try PointCloudError.mappingHDF5 {
            var points: [Float] = [], pointCount: Int?, found = false
            for category in try file.root.groupNames().sorted() {
                let name = datasetPath(category: category, split: split)
                guard file.contains(name) else { continue }
                found = true
                let array = try file.cloudArray(name)
                guard array.shape[0] > 0 else { continue }
                if let n = pointCount, n != array.shape[1] {
                    throw PointCloudError.malformed(file: file.path, element: "/\(name)",
                                                    reason: "\(array.shape[1]) points per shape, others \(n)")
                }
                pointCount = array.shape[1]
                points += array.values
            }
            guard found else { return nil }
            guard let pointCount else { throw PointCloudError.empty(file: file.path, reason: "the '\(split)' datasets hold no clouds") }
            return Split(points: points, pointCount: pointCount)
        }
    }

    // MARK: Describing

    /// Every category group and the shape of each dataset in it.
    public static func describe(_ file: HDF5File) throws -> PointCloudHDF5Description {
        try PointCloudError.mappingHDF5 {
            let groups = try file.root.groupNames().sorted()
            var names: [String] = []
            for group in groups {
                names += try file.group(group).datasetNames().map { "\(group)/\($0)" }
            }
            return PointCloudHDF5Description(path: file.path, layout: .shapenet, datasets: try file.shapes(of: names), categories: groups)
        }
    }
}
