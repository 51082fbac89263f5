/// Clouds with a category name each.
public struct PointCloudSet: Sendable {
    public var clouds: [PointCloud]
    public var categories: [String]

    public init(clouds: [PointCloud], categories: [String]) {
        precondition(clouds.count == categories.count, "PointCloudSet: \(clouds.count) clouds, \(categories.count) categories")
        self.clouds = clouds
        self.categories = categories
    }

    /// Appends `clouds`, all of `category`.
    mutating func append(_ clouds: [PointCloud], category: String) {
        self.clouds += clouds
        categories += Array(repeating: category, count: clouds.count)
    }
}
