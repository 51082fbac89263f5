import Chem

/// A batch's rewards as the scorer hands them to fine-tuning.
public struct RewardBatch: Sendable {
    /// Per sample, the reward's outcome (failures included, non-finite values as `.notFinite`).
    public var outcomes: [RewardOutcome]
    /// Per sample, the finite reward to use: the outcome's value, or `floor` for a failure.
    public var rewards: [Double]
    /// What failures scored in this batch.
    public var floor: Double
    /// Samples of this batch whose reward came from the cache or from the same graph
    /// earlier in the batch (not computed again).
    public var cacheHits: Int

    public var failures: Int { outcomes.reduce(0) { $0 + ($1.isFailure ? 1 : 0) } }
}

/// The scoring session of a run: scores batches with one reward, caches graph-only
/// rewards by canonical SMILES (`Reward.dependsOnGraphOnly`; a repeated molecule is not
/// scored again, within a batch too), counts every sample scored, cache hits and failures
/// by kind (`ledger`), and maps failures to the floor. Save `ledger` with the run and
/// `restore(_:)` it on resume to go on exactly.
public struct RewardScorer<Sample>: Sendable {
    public let reward: any Reward<Sample>
    public var floor: RewardFloor
    /// Whether rewards are cached: asked for and the reward depends on the graph only.
    public let caches: Bool
    public private(set) var ledger: RewardLedger
    private let key: @Sendable (Sample) -> String?

    /// `key` names a sample's graph (nil: never cached).
    public init(reward: any Reward<Sample>, floor: RewardFloor = .default, caching: Bool = true,
                key: @escaping @Sendable (Sample) -> String?) {
        self.reward = reward
        self.floor = floor
        caches = caching && reward.dependsOnGraphOnly
        ledger = RewardLedger(reward: reward.name)
        self.key = key
    }

    /// Scores `samples`, counting them; failures get the floor.
    public mutating func score(_ samples: [Sample]) -> RewardBatch {
        let reward = reward
        return score(samples) { reward.score($0) }
    }

    /// Scores `samples` as `score(_:)` does, with `evaluate` computing the reward of the samples
    /// neither cached nor repeated (one outcome each, in order): the hook through which the ranks
    /// of a job each score a share (`MoleculeRewardSession`). Which samples are evaluated, the
    /// cache and the counts do not depend on how `evaluate` splits the work.
    public mutating func score(_ samples: [Sample],
                               evaluatingWith evaluate: ([Sample]) throws -> [RewardOutcome]) rethrows -> RewardBatch {
        var outcomes = [RewardOutcome?](repeating: nil, count: samples.count)
        var hits = 0
        var keys = [String?](repeating: nil, count: samples.count)
        var toScore: [Int] = []
        var firstWithKey: [String: Int] = [:]
        var repeats: [(index: Int, of: Int)] = []
        for i in samples.indices {
            if caches, let k = key(samples[i]) {
                keys[i] = k
                if let cached = ledger.cache[k] {
                    outcomes[i] = .success(cached)
                    hits += 1
                    continue
                }
                if let first = firstWithKey[k] {
                    repeats.append((i, first))
                    continue
                }
                firstWithKey[k] = i
            }
            toScore.append(i)
        }
        let scored = try evaluate(toScore.map { samples[$0] })
        precondition(scored.count == toScore.count, "\(reward.name) gave \(scored.count) outcomes for \(toScore.count) samples")
        for (i, outcome) in zip(toScore, scored) {
            let checked = outcome.flatMap { $0.isFinite ? .success($0) : .failure(.notFinite($0)) }
            outcomes[i] = checked
            if let k = keys[i], case let .success(value) = checked { ledger.cache[k] = value }
        }
        for (i, first) in repeats {
            outcomes[i] = outcomes[first]
            hits += 1
        }
        let final = outcomes.map { $0 ?? .failure(.failed("not scored")) }
        return record(final, cacheHits: hits)
    }

    /// Counts a batch's outcomes and applies the floor.
    private mutating func record(_ outcomes: [RewardOutcome], cacheHits: Int) -> RewardBatch {
        ledger.evaluations += outcomes.count
        ledger.cacheHits += cacheHits
        var successes: [Double] = []
        for outcome in outcomes {
            switch outcome {
            case let .success(value): successes.append(value)
            case let .failure(failure): ledger.failures[failure.kind.rawValue, default: 0] += 1
            }
        }
        let floor = floor.value(for: successes)
        let rewards = outcomes.map { (try? $0.get()) ?? floor }
        return RewardBatch(outcomes: outcomes, rewards: rewards, floor: floor, cacheHits: cacheHits)
    }

    /// Continues from a saved ledger. Throws `PipelineError.invalidReward` when it was
    /// kept for another reward (its cache would give that reward's values).
    public mutating func restore(_ saved: RewardLedger) throws {
        guard saved.reward == reward.name else {
            throw PipelineError.invalidReward(specification: reward.name,
                                              reason: "the saved reward ledger is for '\(saved.reward)'; resume with the same --reward")
        }
        ledger = saved
    }
}

extension RewardScorer where Sample == Molecule {
    /// A scorer of molecules, cached by the canonical SMILES of the valid molecule
    /// (`EDMValidity.smiles(of:)`; invalid molecules are never cached).
    public init(reward: any MoleculeReward, floor: RewardFloor = .default, caching: Bool = true) {
        self.init(reward: reward, floor: floor, caching: caching) { try? ValidMolecule.smiles(of: $0).get() }
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
