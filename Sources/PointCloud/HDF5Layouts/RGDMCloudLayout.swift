import HDF5

/// Owner of rgdm's own point-cloud layout, what `rgdm convert` writes for a set of clouds and
/// `ShapeFile.write` for one:
///
///     /points    [B, N, 3] float32
///     /normals   [B, N, 3] float32   when every cloud has normals
///     /labels    [B] int64           index into the `categories` attribute, when categories are given
///     @format = "rgdm-point-clouds", @categories = names in sorted order
public enum RGDMCloudLayout {
    /// The `format` attribute's value.
    public static let format = "rgdm-point-clouds"

    /// Names of the datasets.
    public enum Dataset {
        public static let points = "points"
        public static let normals = "normals"
        public static let labels = "labels"
    }

    /// Names of the root attributes.
    public enum Attribute {
        public static let format = "format"
        public static let categories = "categories"
    }

    /// Whether `file` has the `points` dataset.
    public static func matches(_ file: HDF5File) -> Bool { file.contains(Dataset.points) }

    /// Writes clouds of equal size (with a category each when `categories` is given), atomically.
    public static func write(_ clouds: [PointCloud], categories: [String]? = nil, to path: String,
                             storage: HDF5Storage = .compressed(level: 4)) throws {
        guard let n = clouds.first?.count, clouds.allSatisfy({ $0.count == n }) else {
            throw PointCloudError.invalidRequest("\(path): HDF5 sets need clouds of one size (got \(Set(clouds.map(\.count)).sorted()))")
        }
        try PointCloudError.mappingHDF5 {
            let file = try HDF5File(creating: path)
            try file.root.setAttribute(Attribute.format, .string(format))
            try file.root.createDataset(Dataset.points, values: clouds.flatMap(\.flatPositions), shape: [clouds.count, n, 3], storage: storage)
            if clouds.allSatisfy({ $0.normals != nil }) {
                try file.root.createDataset(Dataset.normals, values: clouds.flatMap { $0.flatNormals ?? [] },
                                            shape: [clouds.count, n, 3], storage: storage)
            }
            if let categories {
                let names = Array(Set(categories)).sorted()
                try file.root.setAttribute(Attribute.categories, .strings(names))
                let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
                try file.root.createDataset(Dataset.labels, values: categories.map { index[$0] ?? 0 }, shape: [categories.count])
            }
            try file.commit()
        }
    }

    /// Every cloud (with normals when the file has them) of a category in `categories` (every
    /// category when nil). A label outside the `categories` attribute names itself by its
    /// decimal string. Coordinates must be finite.
    public static func read(_ file: HDF5File, categories: Set<String>? = nil) throws -> PointCloudSet {
        try PointCloudError.mappingHDF5 {
            let clouds = try file.clouds(Dataset.points, normals: file.contains(Dataset.normals) ? Dataset.normals : nil)
            let names = file.root.hasAttribute(Attribute.categories) ? try file.root.stringList(attribute: Attribute.categories) : []
            let labels = file.contains(Dataset.labels)
                ? try file.dataset(Dataset.labels).read(Int.self).values : Array(repeating: 0, count: clouds.count)
            guard labels.count == clouds.count else {
                throw PointCloudError.malformed(file: file.path, element: "/\(Dataset.labels)", reason: "\(labels.count) labels for \(clouds.count) clouds")
            }
            var set = PointCloudSet(clouds: [], categories: [])
            for (cloud, label) in zip(clouds, labels) {
                let name = label >= 0 && label < names.count ? names[label] : String(label)
                if categories?.contains(name) ?? true { set.append([cloud], category: name) }
            }
            return set
        }
    }

    /// The shapes of the layout's datasets present in `file` and the category names.
    public static func describe(_ file: HDF5File) throws -> PointCloudHDF5Description {
        try PointCloudError.mappingHDF5 {
            let names = [Dataset.points, Dataset.normals, Dataset.labels].filter(file.contains)
            let categories = file.root.hasAttribute(Attribute.categories) ? try file.root.stringList(attribute: Attribute.categories) : []
            return PointCloudHDF5Description(path: file.path, layout: .rgdm, datasets: try file.shapes(of: names), categories: categories)
        }
    }
}
