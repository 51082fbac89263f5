import Diffusion
import Foundation

/// EDM's "#Atoms" baseline as a property model: the mean property of the labelled molecules
/// with the same atom count (of the nearest count seen, the smaller on a tie). It knows
/// nothing of structure beyond size, so it is the weakest useful f̂, and the bound a
/// conditional model must beat (Hoogeboom et al. 2022, Table 3).
public struct AtomCountPredictor: PropertyPredictor, Sendable, Codable, Equatable {
    public let property: String
    public let vocabulary: [Int]
    /// Atom counts seen, ascending: `[K]`.
    public let sizes: [Int]
    /// The mean property of the molecules of each size: `[K]`.
    public let means: [Double]

    /// Fitted to molecules of `sizes` with property `values` (both `[n]`, n ≥ 1, values finite).
    public init(property: String, vocabulary: [Int], sizes: [Int], values: [Double]) throws {
        guard !sizes.isEmpty, sizes.count == values.count else {
            throw PipelineError.invalidCondition(reason: "the atom-count model of \(property) needs labelled molecules; \(sizes.count) sizes, \(values.count) values given")
        }
        if let bad = values.first(where: { !$0.isFinite }) {
            throw PipelineError.invalidCondition(reason: "the atom-count model of \(property) got the value \(bad)")
        }
        var sums: [Int: (Double, Int)] = [:]
        for (n, y) in zip(sizes, values) { sums[n, default: (0, 0)] = (sums[n, default: (0, 0)].0 + y, sums[n, default: (0, 0)].1 + 1) }
        let keys = sums.keys.sorted()
        self.property = property
        self.vocabulary = vocabulary
        self.sizes = keys
        self.means = keys.map { sums[$0]!.0 / Double(sums[$0]!.1) }
    }

    /// The mean of the nearest size seen.
    public func prediction(forSize n: Int) -> Double {
        var best = 0
        for k in sizes.indices where abs(sizes[k] - n) < abs(sizes[best] - n) { best = k }
        return means[best]
    }

    public func predict(_ batch: GraphBatch) throws -> [Double] {
        batch.layout.nodeCounts.map(prediction(forSize:))
    }
}

extension AtomCountPredictor {
    /// The file's JSON: `{"format": "rgdm-property-model", "kind": "atom-count", …}`.
    static let format = "rgdm-property-model", kind = "atom-count"

    private enum CodingKeys: String, CodingKey { case format, kind, property, vocabulary, sizes, means }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard try c.decode(String.self, forKey: .format) == Self.format, try c.decode(String.self, forKey: .kind) == Self.kind else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "not an atom-count property model")
        }
        property = try c.decode(String.self, forKey: .property)
        vocabulary = try c.decode([Int].self, forKey: .vocabulary)
        sizes = try c.decode([Int].self, forKey: .sizes)
        means = try c.decode([Double].self, forKey: .means)
        guard !sizes.isEmpty, sizes.count == means.count else {
            throw DecodingError.dataCorruptedError(forKey: .means, in: c, debugDescription: "\(sizes.count) sizes, \(means.count) means")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.format, forKey: .format)
        try c.encode(Self.kind, forKey: .kind)
        try c.encode(property, forKey: .property)
        try c.encode(vocabulary, forKey: .vocabulary)
        try c.encode(sizes, forKey: .sizes)
        try c.encode(means, forKey: .means)
    }

    /// Writes the model as JSON to `path`.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
