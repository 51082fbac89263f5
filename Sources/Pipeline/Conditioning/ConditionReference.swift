import Diffusion

/// The training set's (atom count, property values) pairs, from which a conditional model's
/// sampling draws what it is not told: EDM draws (property, size) jointly from the training
/// data; with a fixed target a, the size comes from the molecules whose values lie nearest a.
///
/// Kept in the model card: every pair when the split has at most `capacity`, else a seeded
/// uniform subset of that many (the joint distribution up to sampling noise). The values
/// are the labels the model was trained on (true or pseudo-labels), in data units.
public struct ConditionReference: Sendable, Codable, Equatable {
    /// Node count of each kept pair: `[pairs]`.
    public let sizes: [Int]
    /// Property values of each kept pair: `[pairs, properties]` row-major, data units.
    public let values: [Double]
    /// Neighbours k of the nearest-k size rule.
    public let neighbours: Int

    /// Pairs kept at most (5,000 pairs of QM9: about 100 kB of JSON in the card).
    public static let capacity = 5000
    /// k of the nearest-k rule: the sizes of the 50 molecules whose values lie nearest the target.
    public static let defaultNeighbours = 50

    public init(sizes: [Int], values: [Double], neighbours: Int = Self.defaultNeighbours) {
        precondition(!sizes.isEmpty && values.count % sizes.count == 0 && neighbours >= 1,
                     "\(sizes.count) sizes, \(values.count) values, k = \(neighbours)")
        self.sizes = sizes
        self.values = values
        self.neighbours = neighbours
    }

    /// The pairs of the whole split, or a seeded subset of `capacity` of them.
    public init(allSizes: [Int], allValues: [Double], seed: UInt64, capacity: Int = Self.capacity) {
        let width = allValues.count / max(allSizes.count, 1)
        guard allSizes.count > capacity else {
            self.init(sizes: allSizes, values: allValues)
            return
        }
        var generator = Xoshiro256StarStar(seed: seed)
        let kept = Array(allSizes.indices.shuffled(using: &generator).prefix(capacity)).sorted()
        self.init(sizes: kept.map { allSizes[$0] },
                  values: kept.flatMap { allValues[($0 * width) ..< (($0 + 1) * width)] })
    }

    public var count: Int { sizes.count }
    public var width: Int { values.count / sizes.count }

    /// Values of pair `i`: `[properties]`.
    public func values(of i: Int) -> [Double] { Array(values[(i * width) ..< ((i + 1) * width)]) }

    /// `n` pairs drawn uniformly with replacement (EDM's joint draw of size and property).
    public func drawPairs(_ n: Int, using generator: inout some RandomNumberGenerator) -> [(size: Int, values: [Double])] {
        (0 ..< n).map { _ in
            let i = Int(generator.next(upperBound: UInt64(count)))
            return (sizes[i], values(of: i))
        }
    }

    /// The pairs nearest `target` (`[properties]`, data units) by Euclidean distance in units
    /// of `normalization`'s MAD, ties broken by order: `neighbours` of them (all when fewer).
    public func nearest(_ target: [Double], normalization: ConditionNormalization) -> [Int] {
        precondition(target.count == width, "a target of \(target.count) values for \(width) properties")
        let t = normalization.normalized(target)
        let distances = (0 ..< count).map { i in
            zip(normalization.normalized(values(of: i)), t).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        return Array(distances.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(neighbours))
    }

    /// `n` sizes for a fixed `target`: each the size of one of the `neighbours` pairs nearest
    /// it, drawn uniformly (beyond the data's range these are the most extreme molecules').
    public func drawSizes(_ n: Int, near target: [Double], normalization: ConditionNormalization,
                          using generator: inout some RandomNumberGenerator) -> [Int] {
        let near = nearest(target, normalization: normalization)
        return (0 ..< n).map { _ in sizes[near[Int(generator.next(upperBound: UInt64(near.count)))]] }
    }
}
