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
