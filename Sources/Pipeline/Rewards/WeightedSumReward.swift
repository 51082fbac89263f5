/// Σ w_i r_i over rewards scored on the same batch. A sample that any term cannot score
/// fails with that term's failure (the first in term order): a failed term has no value
/// to add, and the session maps the failure to its floor.
public struct WeightedSumReward<Sample>: Reward {
    public struct Term: Sendable {
        public var weight: Double
        public var reward: any Reward<Sample>

        public init(_ weight: Double, _ reward: any Reward<Sample>) {
            self.weight = weight
            self.reward = reward
        }
    }

    public let terms: [Term]

    public init(_ terms: [Term]) {
        precondition(!terms.isEmpty, "a weighted sum needs at least one term")
        self.terms = terms
    }

    public var name: String {
        var text = ""
        for (i, term) in terms.enumerated() {
            let weight = i == 0 ? term.weight : abs(term.weight)
            if i > 0 { text += term.weight < 0 ? " - " : " + " }
            text += weight == 1 ? term.reward.name : (weight == -1 ? "-" : RewardNumber.text(weight) + "*") + term.reward.name
        }
        return text
    }

    public var dependsOnGraphOnly: Bool { terms.allSatisfy(\.reward.dependsOnGraphOnly) }

    public func score(_ samples: [Sample]) -> [RewardOutcome] {
        var totals = [RewardOutcome](repeating: .success(0), count: samples.count)
        for term in terms {
            let outcomes = term.reward.score(samples)
            for i in samples.indices {
                guard case let .success(sum) = totals[i] else { continue }
                totals[i] = outcomes[i].map { sum + term.weight * $0 }
            }
        }
        return totals
    }
}
