/// A window on any scalar reward, e.g. molecular weight in [150, 350] g/mol: 1 inside
/// [lower, upper]; outside it falls off linearly with the distance d to the nearer bound,
/// r = 1 − d / (upper − lower), so one window's width away scores 0 and further away is
/// negative (no plateau for the fine-tuning to get lost on).
public struct WindowReward<Sample>: Reward {
    public let property: any Reward<Sample>
    public let lower: Double
    public let upper: Double

    /// `lower` < `upper` (checked by the specification parser, which reports bad input).
    public init(_ property: any Reward<Sample>, lower: Double, upper: Double) {
        precondition(lower < upper, "window [\(lower), \(upper)] is empty")
        self.property = property
        self.lower = lower
        self.upper = upper
    }

    public var name: String {
        "window(\(property.name), \(RewardNumber.text(lower)), \(RewardNumber.text(upper)))"
    }
    public var dependsOnGraphOnly: Bool { property.dependsOnGraphOnly }

    public func score(_ samples: [Sample]) -> [RewardOutcome] {
        property.score(samples).map { $0.map(value) }
    }

    func value(_ p: Double) -> Double {
        let distance = p < lower ? lower - p : (p > upper ? p - upper : 0)
        return 1 - distance / (upper - lower)
    }
}
