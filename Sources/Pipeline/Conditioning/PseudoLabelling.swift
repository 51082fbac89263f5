import Diffusion

/// Steps 1–2 of reward-directed conditional diffusion (Yuan et al. 2023, Algorithm 1): a
/// seeded share F of the training split keeps its true labels; every other molecule is
/// labelled ŷ = f̂(x) + ξ, ξ ~ N(0, ν²), by a property model f̂ per property.
///
/// Draws, from one generator seeded with `seed`: a permutation of the split whose first
/// max(1, round(F·n)) positions are the labelled share, then ξ for each unlabelled molecule
/// in split order, property by property. Same seed, same labels.
public struct PseudoLabelling: Sendable {
    public let labelledFraction: Double
    /// ν per property, in the property's units.
    public let noise: [Double]
    public let seed: UInt64
    /// Molecules per call of a property model.
    public var batchSize = 256

    /// F in (0, 1], each ν finite and ≥ 0.
    public init(labelledFraction: Double, noise: [Double], seed: UInt64) throws {
        guard labelledFraction.isFinite, labelledFraction > 0, labelledFraction <= 1 else {
            throw PipelineError.invalidCondition(reason: "the labelled fraction must be in (0, 1], got \(labelledFraction)")
        }
        if let bad = noise.first(where: { !($0.isFinite && $0 >= 0) }) {
            throw PipelineError.invalidCondition(reason: "the pseudo-label noise ν must be finite and ≥ 0, got \(bad)")
        }
        self.labelledFraction = labelledFraction
        self.noise = noise
        self.seed = seed
    }

    /// The labels of a split and which of its molecules kept true ones.
    public struct Labels: Sendable {
        /// `[molecules, properties]` row-major, in split order, data units.
        public var values: [Double]
        /// Positions in the split of the molecules with true labels, ascending.
        public var labelled: [Int]
    }

    /// Size of the labelled share of `count` molecules: max(1, round(F·count)), all when F = 1.
    public func labelledCount(of count: Int) -> Int {
        labelledFraction == 1 ? count : min(count, max(1, Int((labelledFraction * Double(count)).rounded())))
    }

    /// Positions in a split of `count` molecules of those that keep true labels, ascending:
    /// the first `labelledCount(of:)` of a seeded permutation.
    public func labelledPositions(count: Int) -> [Int] {
        var generator = Xoshiro256StarStar(seed: seed)
        return labelledPositions(count: count, using: &generator)
    }

    private func labelledPositions(count: Int, using generator: inout Xoshiro256StarStar) -> [Int] {
        Array(Array(0 ..< count).shuffled(using: &generator).prefix(labelledCount(of: count))).sorted()
    }

    /// Labels for the molecules of `source` (a training split) whose true values are
    /// `trueValues` (`[count, properties]`, split order). `predictors[k]` labels property k;
    /// none are needed when F = 1. `origin` names the dataset in errors; `models` names
    /// the property models.
    public func labels(trueValues: [Double], properties: [String], source: MoleculeGraphSource,
                       predictors: [any PropertyPredictor], models: [String], origin: String) throws -> Labels {
        let n = source.count, k = properties.count
        precondition(trueValues.count == n * k && noise.count == k, "\(trueValues.count) values for \(n) × \(k); ν for \(noise.count)")
        var generator = Xoshiro256StarStar(seed: seed)
        let labelled = labelledPositions(count: n, using: &generator)
        for position in labelled {
            for p in 0 ..< k where !trueValues[position * k + p].isFinite {
                throw PipelineError.invalidDataset(
                    path: origin, reason: "molecule \(source.members[position]) has no value of \(properties[p]) (\(trueValues[position * k + p]))")
            }
        }
        var values = trueValues
        guard labelled.count < n else { return Labels(values: values, labelled: labelled) }
        guard predictors.count == k else {
            throw PipelineError.invalidCondition(
                reason: "a labelled fraction of \(labelledFraction) needs a property model for each of \(properties.joined(separator: ", ")); \(predictors.count) given")
        }
        for (p, predictor) in predictors.enumerated() where predictor.vocabulary != source.atomicNumbers {
            throw PipelineError.invalidModel(
                path: models[p], reason: "its atom vocabulary \(predictor.vocabulary) differs from the dataset's \(source.atomicNumbers)")
        }
        let isLabelled = Set(labelled)
        let unlabelled = (0 ..< n).filter { !isLabelled.contains($0) }
        var predictions = [Double](repeating: 0, count: unlabelled.count * k)
        for start in stride(from: 0, to: unlabelled.count, by: batchSize) {
            let chunk = Array(unlabelled[start ..< min(start + batchSize, unlabelled.count)])
            let batch = try source.batch(at: chunk)
            for (p, predictor) in predictors.enumerated() {
                let y = try predictor.predict(batch)
                guard y.count == chunk.count else {
                    throw PipelineError.invalidModel(path: models[p], reason: "it gave \(y.count) predictions for \(chunk.count) molecules")
                }
                for (offset, value) in y.enumerated() {
                    guard value.isFinite else {
                        throw PipelineError.invalidModel(
                            path: models[p], reason: "its prediction of \(properties[p]) for molecule \(source.members[chunk[offset]]) is \(value)")
                    }
                    predictions[(start + offset) * k + p] = value
                }
            }
        }
        for (row, position) in unlabelled.enumerated() {
            for p in 0 ..< k {
                values[position * k + p] = predictions[row * k + p] + noise[p] * generator.nextStandardNormal()
            }
        }
        return Labels(values: values, labelled: labelled)
    }
}
