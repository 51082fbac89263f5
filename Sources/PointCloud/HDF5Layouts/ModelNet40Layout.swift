import HDF5

/// Owner of PointNet's ModelNet40 layout (`modelnet40_ply_hdf5_2048/ply_data_*.h5`), which rgdm
/// reads but does not write:
///
///     /data     [B, N, 3] float32   the clouds
///     /label    [B, 1] uint8        class index per cloud (optional here)
///     /normal   [B, N, 3] float32   per-point normals (optional)
public enum ModelNet40Layout {
    /// Names of the datasets.
    public enum Dataset {
        public static let data = "data"
        public static let label = "label"
        public static let normal = "normal"
    }

    /// Whether `file` has the `data` dataset.
    public static func matches(_ file: HDF5File) -> Bool { file.contains(Dataset.data) }

    /// Every cloud (with normals when the file has them) of a label in `categories` (every label
    /// when nil), each named by its label's decimal string. Coordinates must be finite.
    public static func read(_ file: HDF5File, categories: Set<String>? = nil) throws -> PointCloudSet {
        try PointCloudError.mappingHDF5 {
            let clouds = try file.clouds(Dataset.data, normals: file.contains(Dataset.normal) ? Dataset.normal : nil)
            let labels = file.contains(Dataset.label)
                ? try file.dataset(Dataset.label).read(Int.self).values : Array(repeating: 0, count: clouds.count)
            guard labels.count == clouds.count else {
                throw PointCloudError.malformed(file: file.path, element: "/\(Dataset.label)", reason: "\(labels.count) labels for \(clouds.count) clouds")
            }
            var set = PointCloudSet(clouds: [], categories: [])
            for (cloud, label) in zip(clouds, labels) where categories?.contains(String(label)) ?? true {
                set.append([cloud], category: String(label))
            }
            return set
        }
    }

    /// The shapes of the layout's datasets present in `file`.
    public static func describe(_ file: HDF5File) throws -> PointCloudHDF5Description {
        try PointCloudError.mappingHDF5 {
            let names = [Dataset.data, Dataset.label, Dataset.normal].filter(file.contains)
            return PointCloudHDF5Description(path: file.path, layout: .modelnet40, datasets: try file.shapes(of: names), categories: [])
        }
    }
}
