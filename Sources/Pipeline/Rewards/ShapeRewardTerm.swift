/// The shape rewards `--reward` names, with their arguments: each scores a `PointCloud`
/// (`RewardSpecification.makeShapeReward`).
///
///     class(airplane)                 log p(airplane | cloud) by --reward-classifier's model
///     class(airplane, cls.rgdm)       … by the model named
///     chamfer(target.ply)             −CD to the target (a set: to the nearest of its clouds)
///     aspect(2:1:1)                   −Σ |log(e_i / ē) − log(t_i / t̄)| over the box's extents e, target t
///     symmetry(x)                     −CD between the cloud and its mirror image across x = mean x
public enum ShapeRewardTerm: Hashable, Sendable, Codable, CustomStringConvertible {
    case classLogProbability(category: String, model: String?)
    case chamfer(target: String)
    case aspect(x: Double, y: Double, z: Double)
    case symmetry(Axis)

    /// The axis a mirror plane is normal to.
    public enum Axis: String, Hashable, Sendable, Codable, CaseIterable {
        case x, y, z
        var index: Int { self == .x ? 0 : self == .y ? 1 : 2 }
    }

    public var description: String {
        switch self {
        case let .classLogProbability(category, model): "class(\(category)\(model.map { ", \($0)" } ?? ""))"
        case let .chamfer(target): "chamfer(\(target))"
        case let .aspect(x, y, z): "aspect(\(RewardNumber.text(x)):\(RewardNumber.text(y)):\(RewardNumber.text(z)))"
        case let .symmetry(axis): "symmetry(\(axis.rawValue))"
        }
    }

    /// The forms `--reward` takes, for help and errors.
    public static let knownNames = ["class(CATEGORY[, MODEL])", "chamfer(FILE)", "aspect(X:Y:Z)", "symmetry(x|y|z)"]

    /// A word for `--help`.
    public static let summary = "shapes: class(CATEGORY) is a classifier's log-probability of the category (--reward-classifier "
        + "or class(CATEGORY, MODEL)); chamfer(FILE) −Chamfer distance to a shape file or the nearest cloud of a set; "
        + "aspect(X:Y:Z) −Σ|log-ratio error| of the bounding box's proportions; symmetry(x|y|z) −Chamfer distance to the "
        + "mirror image across the plane normal to that axis through the centroid"
}
