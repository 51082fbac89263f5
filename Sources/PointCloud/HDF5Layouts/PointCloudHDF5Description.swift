/// What a point-cloud HDF5 file holds, as its layout's owner reads it (for `rgdm info`).
public struct PointCloudHDF5Description: Sendable, Equatable {
    public var path: String
    public var layout: PointCloudHDF5Layout
    /// Every dataset the layout names, by its path in the file (`/02691156/train`, `/data`), with
    /// its shape.
    public var datasets: [String: [Int]]
    /// The category names the file records: ShapeNet's groups, the rgdm layout's `categories`
    /// attribute; none for ModelNet40 (whose labels are numbers).
    public var categories: [String]

    public init(path: String, layout: PointCloudHDF5Layout, datasets: [String: [Int]], categories: [String]) {
        self.path = path
        self.layout = layout
        self.datasets = datasets
        self.categories = categories
    }

    /// A JSON-ready dictionary: `kind`, `path`, and for ShapeNet `categories` as category →
    /// dataset → shape; for the other layouts `datasets` (path → shape) and the rgdm layout's
    /// `categories`.
    public var json: [String: Any] {
        switch layout {
        case .shapenet:
            var categories: [String: Any] = [:]
            for category in self.categories {
                var splits: [String: Any] = [:]
                for (path, shape) in datasets {
                    let parts = path.split(separator: "/").map(String.init)
                    if parts.count == 2, parts[0] == category { splits[parts[1]] = shape }
                }
                categories[category] = splits
            }
            return ["kind": "shape dataset", "path": path, "categories": categories]
        case .modelnet40:
            return ["kind": "point-cloud set (ModelNet40 layout)", "path": path, "datasets": datasets]
        case .rgdm:
            return ["kind": "point-cloud set (rgdm layout)", "path": path, "datasets": datasets, "categories": categories]
        }
    }
}
