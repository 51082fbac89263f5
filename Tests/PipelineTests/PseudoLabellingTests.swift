import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Pseudo-labels and the (size, property) pairs of conditional sampling, on in-memory molecules.
@Suite(.temporaryDirectories) struct PseudoLabellingTests {
    /// `count` molecules of 2 … 6 hydrogen-and-carbon atoms in a row.
    static func molecules(_ count: Int) throws -> MoleculeGraphSource {
        var positions: [Float] = [], numbers: [Int] = [], offsets = [0]
        for m in 0 ..< count {
            let n = 2 + m % 5
            for a in 0 ..< n {
                positions += [Float(a), 0, 0]
                numbers.append(a == 0 ? 6 : 1)
            }
            offsets.append(numbers.count)
        }
        return try MoleculeGraphSource(positions: positions, atomicNumbers: numbers, atomOffsets: offsets,
                                       members: Array(0 ..< count), vocabulary: [1, 6], source: "in memory")
    }

    /// f̂(x) = 2 · atoms + 1: a known function of the graph.
    struct SizePredictor: PropertyPredictor {
        var property = "alpha"
        var vocabulary = [1, 6]
        func predict(_ batch: GraphBatch) throws -> [Double] { batch.layout.nodeCounts.map { 2 * Double($0) + 1 } }
    }

    @Test func pseudoLabelsAreThePredictionPlusNoiseOfTheGivenSpread() throws {
        let n = 4000, nu = 0.5
        let source = try Self.molecules(n)
        let truth = (0 ..< n).map { -100 - Double($0) }       // far from any prediction
        let labelling = try PseudoLabelling(labelledFraction: 0.1, noise: [nu], seed: 9)
        let labels = try labelling.labels(trueValues: truth, properties: ["alpha"], source: source,
                                          predictors: [SizePredictor()], models: ["size"], origin: "test")
        #expect(labels.labelled.count == 400 && labels.labelled == labelling.labelledPositions(count: n))
        let kept = (0 ..< n).filter { labels.values[$0] == truth[$0] }
        #expect(kept == labels.labelled, "exactly the labelled share keeps its true labels")
        let labelled = Set(labels.labelled)
        let residuals = (0 ..< n).filter { !labelled.contains($0) }.map { labels.values[$0] - (2 * Double(source.nodeCounts[$0]) + 1) }
        let m = Double(residuals.count)
        let mean = residuals.reduce(0, +) / m
        let variance = residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)
        // Standard errors: ν/√m for the mean, ν²·√(2/(m − 1)) for the variance; four of each.
        #expect(abs(mean) < 4 * nu / m.squareRoot(), "mean of ŷ − f̂ \(mean)")
        #expect(abs(variance - nu * nu) < 4 * nu * nu * (2 / (m - 1)).squareRoot(), "variance of ŷ − f̂ \(variance)")
        let again = try labelling.labels(trueValues: truth, properties: ["alpha"], source: source,
                                         predictors: [SizePredictor()], models: ["size"], origin: "test")
        #expect(again.values == labels.values, "same seed, same labels")
        let other = try PseudoLabelling(labelledFraction: 0.1, noise: [nu], seed: 10)
        #expect(other.labelledPositions(count: n) != labels.labelled)
    }

    @Test func labelledShareRoundsAndCoversTheEdges() throws {
        #expect(try PseudoLabelling(labelledFraction: 0.05, noise: [0], seed: 1).labelledCount(of: 300) == 15)
        #expect(try PseudoLabelling(labelledFraction: 0.0001, noise: [0], seed: 1).labelledCount(of: 300) == 1)
        #expect(try PseudoLabelling(labelledFraction: 1, noise: [0], seed: 1).labelledCount(of: 300) == 300)
        let source = try Self.molecules(10)
        let all = try PseudoLabelling(labelledFraction: 1, noise: [0], seed: 1)
            .labels(trueValues: (0 ..< 10).map(Double.init), properties: ["alpha"], source: source, predictors: [], models: [], origin: "t")
        #expect(all.values == (0 ..< 10).map(Double.init), "F = 1 needs no property model")
        for bad in [0.0, -0.1, 1.5, .nan] {
            #expect(throws: PipelineError.invalidCondition(reason: "the labelled fraction must be in (0, 1], got \(bad)")) {
                try PseudoLabelling(labelledFraction: bad, noise: [0], seed: 1)
            }
        }
        let half = try PseudoLabelling(labelledFraction: 0.5, noise: [0], seed: 1)
        #expect(throws: PipelineError.invalidModel(path: "m.json", reason: "its atom vocabulary [1, 6, 8] differs from the dataset's [1, 6]")) {
            try half.labels(trueValues: (0 ..< 10).map(Double.init), properties: ["alpha"], source: source,
                            predictors: [SizePredictor(vocabulary: [1, 6, 8])], models: ["m.json"], origin: "t")
        }
    }

    @Test func atomCountModelPredictsTheMeanOfItsSizeAndRoundTrips() throws {
        let model = try AtomCountPredictor(property: "alpha", vocabulary: [1, 6], sizes: [3, 3, 5, 9], values: [1, 3, 10, 20])
        #expect(model.sizes == [3, 5, 9] && model.means == [2, 10, 20])
        #expect([2, 3, 4, 6, 7, 8, 12].map(model.prediction(forSize:)) == [2, 2, 2, 10, 10, 20, 20])
        let dir = try TemporaryDirectory.create("atom-count")
        let path = dir.appendingPathComponent("alpha.json").path
        try model.write(to: path)
        let loaded = try #require(try PropertyModelFile.load(path) as? AtomCountPredictor)
        #expect(loaded == model)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: PipelineError.self) { try PropertyModelFile.load(path) }
    }

    // MARK: (size, property) pairs

    /// Sizes 1 … 9 with frequency ∝ size, values 10 · size + a spread under 1.
    static func reference() -> (ConditionReference, ConditionNormalization) {
        var sizes: [Int] = [], values: [Double] = []
        var rng = Xoshiro256StarStar(seed: 4)
        for size in 1 ... 9 { for _ in 0 ..< 40 * size { sizes.append(size); values.append(10 * Double(size) + rng.nextUnitInterval() - 0.5) } }
        return (ConditionReference(sizes: sizes, values: values), try! ConditionNormalization(fitting: values, properties: 1))
    }

    @Test func jointDrawsKeepSizeAndPropertyTogether() {
        let (reference, _) = Self.reference()
        var rng = Xoshiro256StarStar(seed: 6)
        let draws = reference.drawPairs(18_000, using: &rng)
        #expect(draws.allSatisfy { Int(($0.values[0] / 10).rounded()) == $0.size }, "each draw is one molecule's pair")
        let total = Double((1 ... 9).reduce(0, +))
        for size in 1 ... 9 {
            let p = Double(size) / total, share = Double(draws.filter { $0.size == size }.count) / 18_000
            #expect(abs(share - p) < 4 * (p * (1 - p) / 18_000).squareRoot(), "size \(size): \(share) vs \(p)")
        }
    }

    @Test func aFixedTargetTakesTheSizesOfItsNearestMolecules() {
        let (reference, normalization) = Self.reference()
        var rng = Xoshiro256StarStar(seed: 7)
        #expect(Set(reference.drawSizes(500, near: [52], normalization: normalization, using: &rng)) == [5])
        #expect(Set(reference.drawSizes(500, near: [1000], normalization: normalization, using: &rng)) == [9],
                "beyond the data: the largest molecules' sizes")
        // Between two sizes the 50 nearest mix them.
        #expect(Set(reference.drawSizes(500, near: [55], normalization: normalization, using: &rng)) == [5, 6])
    }

    @Test func largeSplitsKeepASeededSubsetOfPairs() {
        let sizes = (0 ..< 12_000).map { 1 + $0 % 20 }, values = sizes.map(Double.init)
        let a = ConditionReference(allSizes: sizes, allValues: values, seed: 3)
        let b = ConditionReference(allSizes: sizes, allValues: values, seed: 3)
        #expect(a.count == ConditionReference.capacity && a == b)
        #expect(zip(a.sizes, a.values).allSatisfy { Double($0) == $1 })
    }
}
