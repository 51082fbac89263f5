import PointCloud

/// Mirror symmetry across the plane normal to an axis through the centroid: r = −CD(X, M X),
/// M the reflection (the coordinate on that axis mirrored about its mean), in the cloud's own
/// units (normalise clouds alike to compare). 0 for a cloud that is its own mirror image.
public struct SymmetryReward: Reward {
    public let axis: ShapeRewardTerm.Axis

    public init(axis: ShapeRewardTerm.Axis) { self.axis = axis }

    public var name: String { "symmetry(\(axis.rawValue))" }
    public var dependsOnGraphOnly: Bool { false }

    /// `cloud` reflected across the plane normal to `axis` through its centroid.
    public static func reflected(_ cloud: PointCloud, axis: ShapeRewardTerm.Axis) -> PointCloud {
        let centre = cloud.centroid[axis.index]
        return PointCloud(positions: cloud.positions.map { p in
            var q = p
            q[axis.index] = 2 * centre - p[axis.index]
            return q
        })
    }

    public func score(_ clouds: [PointCloud]) -> [RewardOutcome] {
        clouds.map { cloud in
            guard !cloud.isEmpty, cloud.firstNonFiniteIndex == nil else { return .failure(.failed("an empty cloud or a non-finite coordinate")) }
            return .success(-cloud.chamferDistance(to: Self.reflected(cloud, axis: axis)))
        }
    }
}
