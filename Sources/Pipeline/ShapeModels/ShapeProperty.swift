import PointCloud

/// A scalar property of a shape that a PointNet regressor can learn (`rgdm train-property
/// --property NAME` on a shape set), computed from the normalised cloud itself, so every shape
/// set is labelled. Both are invariant to point order and to rotations about the up axis (y),
/// like the model: they depend on heights and distances from the vertical axis only.
public enum ShapeProperty: String, Sendable, Codable, CaseIterable {
    /// max y − min y: how tall the shape is.
    case height
    /// max over points of √(x² + z²) about the centroid's vertical axis: how far it reaches sideways.
    case radius

    /// The property of `cloud` (as given: normalise it first).
    public func value(of cloud: PointCloud) -> Double {
        switch self {
        case .height:
            let box = cloud.boundingBox
            return Double(box.max.y - box.min.y)
        case .radius:
            let c = cloud.centroid
            return cloud.positions.reduce(0.0) { max($0, Double(((($1.x - c.x) * ($1.x - c.x)) + ($1.z - c.z) * ($1.z - c.z)).squareRoot())) }
        }
    }

    public var summary: String {
        switch self {
        case .height: "extent along the up axis y (normalised units)"
        case .radius: "largest distance from the vertical axis through the centroid (normalised units)"
        }
    }
}
