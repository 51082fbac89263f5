import Foundation
import PointCloud

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
