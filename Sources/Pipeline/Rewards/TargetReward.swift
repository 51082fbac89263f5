/// A target value for any scalar reward: r = −|p − a|, highest (0) at the target.
/// A sample the inner reward cannot score fails the same way here.
public struct TargetReward<Sample>: Reward {
    public let property: any Reward<Sample>
    public let target: Double

    public init(_ property: any Reward<Sample>, target: Double) {
        self.property = property
        self.target = target
    }

    public var name: String { "target(\(property.name), \(RewardNumber.text(target)))" }
    public var dependsOnGraphOnly: Bool { property.dependsOnGraphOnly }

    public func score(_ samples: [Sample]) -> [RewardOutcome] {
        property.score(samples).map { $0.map { -abs($0 - target) } }
    }
}

/// Numbers as reward names show them: integers without a fraction ("2", not "2.0").
enum RewardNumber {
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
