import Foundation

extension NodeCountDistribution {
    /// The distribution tilted by the weights of graphs drawn from it: RAML's weighted maximum
    /// likelihood for the categorical over node counts, which has a closed form.
    ///
    /// Graphs i with node counts N_i drawn from p and weights w_i of mean 1 (a pay-off
    /// distribution's self-normalised importance weights) give
    ///
    ///     p'(N) ∝ p(N) · (Σ_{i: N_i = N} w_i + c) / (n_N + c),
    ///
    /// where n_N counts the graphs of N nodes. E[w | N] estimates the tilt E[exp(r/T) | N] / E[exp(r/T)],
    /// so p' is p·exp(r/T) marginalised to node counts; the pseudo-count c ≥ 0 shrinks the
    /// estimate toward no tilt where few graphs were drawn (a count never drawn keeps its
    /// probability's share). Counts outside the support are ignored.
    /// - Parameters:
    ///   - nodeCounts: N_i: `[graphs]`.
    ///   - weights: w_i ≥ 0: `[graphs]`.
    public func tilted(nodeCounts: [Int], weights: [Double], pseudocount c: Double) throws -> NodeCountDistribution {
        precondition(nodeCounts.count == weights.count, "\(nodeCounts.count) node counts, \(weights.count) weights")
        guard c.isFinite && c >= 0 else { throw DiffusionError.invalidHistogram("the pseudo-count must be finite and ≥ 0, got \(c)") }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw DiffusionError.invalidHistogram("tilt weights must be finite and ≥ 0")
        }
        let index = Dictionary(uniqueKeysWithValues: counts.enumerated().map { ($1, $0) })
        var drawn = [Double](repeating: 0, count: counts.count), weight = drawn
        for (n, w) in zip(nodeCounts, weights) {
            guard let k = index[n] else { continue }
            drawn[k] += 1
            weight[k] += w
        }
        let tilt = counts.indices.map { k in drawn[k] + c > 0 ? (weight[k] + c) / (drawn[k] + c) : 1 }
        let unnormalised = zip(probabilities, tilt).map { $0 * $1 }
        let total = unnormalised.reduce(0, +)
        guard total > 0 else { throw DiffusionError.invalidHistogram("every node count's tilted probability is 0") }
        return try NodeCountDistribution(counts: counts, probabilities: unnormalised.map { $0 / total })
    }

    /// The distribution with `probabilities` over `counts` (ascending, ≥ 1); zeros are dropped.
    public init(counts: [Int], probabilities: [Double]) throws {
        guard counts.count == probabilities.count, zip(counts, counts.dropFirst()).allSatisfy({ $0 < $1 }),
              counts.allSatisfy({ $0 >= 1 }) else {
            throw DiffusionError.invalidHistogram("node counts \(counts) must be ascending, ≥ 1 and one per probability")
        }
        guard probabilities.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw DiffusionError.invalidHistogram("probabilities must be finite and ≥ 0")
        }
        let kept = counts.indices.filter { probabilities[$0] > 0 }
        let total = kept.reduce(0.0) { $0 + probabilities[$1] }
        guard total > 0 else { throw DiffusionError.invalidHistogram("no node count has a positive probability") }
        self.counts = kept.map { counts[$0] }
        self.probabilities = kept.map { probabilities[$0] / total }
    }
}
