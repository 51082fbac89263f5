import Foundation
import PointCloud

/// −CD(cloud, target) to the nearest of one or more target clouds (Chamfer distance as the
/// PointCloud module defines it, squared distances, both directions added). Both sides are
/// normalised by `normalization` first (default `shape_bbox`: bounding box centred, largest half
/// side 1, so the score compares shapes, not positions or sizes). 0 for a cloud that is a target.
public struct ChamferReward: Reward {
    public let targets: [PointCloud]
    public let normalization: PointCloudNormalization
    public let label: String

    public init(targets: [PointCloud], normalization: PointCloudNormalization = .shapeBBox, label: String) {
        precondition(!targets.isEmpty, "a Chamfer reward needs at least one target")
        self.targets = targets.map { $0.normalized(normalization) }
        self.normalization = normalization
        self.label = label
    }

    public var name: String { "chamfer(\(label))" }
    public var dependsOnGraphOnly: Bool { false }

    public func score(_ clouds: [PointCloud]) -> [RewardOutcome] {
        clouds.map { cloud in
            guard !cloud.isEmpty, cloud.firstNonFiniteIndex == nil else { return .failure(.failed("an empty cloud or a non-finite coordinate")) }
            let normalised = cloud.normalized(normalization)
            return .success(-(targets.map { normalised.chamferDistance(to: $0) }.min() ?? .infinity))
        }
    }
}

/// How close a cloud's bounding-box proportions are to a target ratio x:y:z, whatever its size:
/// with extents e and target t, r = −Σ_i |log(e_i / ē) − log(t_i / t̄)| (ē, t̄ geometric means),
/// 0 exactly when e ∝ t. A cloud flat along an axis (extent 0) fails.
public struct AspectReward: Reward {
    public let target: SIMD3<Double>

    public init(x: Double, y: Double, z: Double) {
        precondition(x > 0 && y > 0 && z > 0, "aspect ratios must be positive: \(x):\(y):\(z)")
        target = SIMD3(x, y, z)
    }

    public var name: String { "aspect(\(RewardNumber.text(target.x)):\(RewardNumber.text(target.y)):\(RewardNumber.text(target.z)))" }
    public var dependsOnGraphOnly: Bool { false }

    /// log v_i − mean_j log v_j.
    static func centredLogs(_ v: SIMD3<Double>) -> SIMD3<Double> {
        let logs = SIMD3(Foundation.log(v.x), Foundation.log(v.y), Foundation.log(v.z))
        return logs - SIMD3(repeating: logs.sum() / 3)
    }

    public func score(_ clouds: [PointCloud]) -> [RewardOutcome] {
        let goal = Self.centredLogs(target)
        return clouds.map { cloud in
            let box = cloud.boundingBox, extent = SIMD3<Double>(box.max - box.min)
            guard extent.min() > 0, extent.max().isFinite else { return .failure(.failed("bounding box \(extent): flat or not finite")) }
            let error = Self.centredLogs(extent) - goal
            return .success(-(abs(error.x) + abs(error.y) + abs(error.z)))
        }
    }
}

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
