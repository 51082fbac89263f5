/// The reward a failed sample gets (an invalid molecule, a crashed or hung program), so
/// every sample of a batch has a finite reward to weight it by.
public enum RewardFloor: Hashable, Sendable, Codable, CustomStringConvertible {
    /// This value, whatever the batch.
    case value(Double)
    /// The lowest reward that any sample of the same batch got (0 when none got one): a
    /// failure weighs no more than the worst success, on any reward's scale. The default.
    case batchMinimum

    public static let `default` = RewardFloor.batchMinimum

    /// Reads "min" or a finite number.
    public init?(_ text: String) {
        if text.lowercased() == "min" {
            self = .batchMinimum
        } else if let value = Double(text), value.isFinite {
            self = .value(value)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case let .value(value): RewardNumber.text(value)
        case .batchMinimum: "min"
        }
    }

    /// The floor for a batch whose successful rewards are `rewards`.
    public func value(for rewards: [Double]) -> Double {
        switch self {
        case let .value(value): value
        case .batchMinimum: rewards.min() ?? 0
        }
    }
}
