import Foundation

/// The number of nodes of a generated graph, drawn from the histogram of the
/// training set (EDM, Hoogeboom et al. 2022, §3.5: p(M) is the categorical
/// distribution of molecule sizes in the data; "DistributionNodes").
public struct NodeCountDistribution: Sendable, Codable, Equatable {
    /// Node counts with positive frequency, ascending: `[K]`.
    public let counts: [Int]
    /// Their probabilities, summing to 1: `[K]`.
    public let probabilities: [Double]

    /// From a histogram node count → frequency.
    public init(histogram: [Int: Int]) throws {
        for (count, frequency) in histogram {
            guard count >= 1 else { throw DiffusionError.invalidHistogram("node count \(count) must be ≥ 1") }
            guard frequency >= 0 else {
                throw DiffusionError.invalidHistogram("frequency \(frequency) of node count \(count) is negative")
            }
        }
        let kept = histogram.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let total = kept.reduce(0.0) { $0 + Double($1.value) }
        guard total > 0 else { throw DiffusionError.invalidHistogram("no node count has a positive frequency") }
        self.counts = kept.map(\.key)
        self.probabilities = kept.map { Double($0.value) / total }
    }

    /// From the node counts of the training graphs.
    public init(observedCounts: [Int]) throws {
        try self.init(histogram: observedCounts.reduce(into: [:]) { $0[$1, default: 0] += 1 })
    }

    /// One node count, by inverting the cumulative distribution.
    public func sample(using generator: inout some RandomNumberGenerator) -> Int {
        let u = generator.nextUnitInterval()
        var cumulative = 0.0
        for (count, p) in zip(counts, probabilities) {
            cumulative += p
            if u < cumulative { return count }
        }
        return counts[counts.count - 1]
    }

    /// `n` independent node counts: `[n]`.
    public func sample(_ n: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
        (0 ..< n).map { _ in sample(using: &generator) }
    }

    /// log p(M = n); −∞ for a count never seen.
    public func logProbability(of n: Int) -> Double {
        guard let k = counts.firstIndex(of: n) else { return -.infinity }
        return Foundation.log(probabilities[k])
    }
}
