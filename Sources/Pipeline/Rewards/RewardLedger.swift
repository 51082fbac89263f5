/// What a run's scoring has done so far, saved with a fine-tuning run so that a resumed run
/// continues exactly: the counts (every sample scored is one evaluation, the budget at
/// which methods are compared) and the cache of graph-only rewards by canonical SMILES.
public struct RewardLedger: Codable, Hashable, Sendable {
    /// The reward's name; a ledger is only restored into a scorer of the same reward.
    public var reward: String
    /// Samples handed to the scorer, cache hits and failures included: the budget.
    public var evaluations = 0
    /// Samples whose reward came from the cache (a subset of `evaluations`).
    public var cacheHits = 0
    /// Failed samples by kind (`RewardFailure.Kind` names).
    public var failures: [String: Int] = [:]
    /// Graph-only rewards by canonical SMILES (successes only: a failure may be the run's).
    public var cache: [String: Double] = [:]

    public init(reward: String) { self.reward = reward }

    /// Samples the reward was computed for (not from the cache).
    public var computed: Int { evaluations - cacheHits }

    /// All failed samples.
    public var failureCount: Int { failures.values.reduce(0, +) }

    /// The failure counts in `RewardFailure.Kind` order, for logs: "invalid-molecule 3, timed-out 1".
    public var failureSummary: String {
        let parts = RewardFailure.Kind.allCases.compactMap { kind in failures[kind.rawValue].map { "\(kind.rawValue) \($0)" } }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
