import Chem
import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// The conditional evaluation's figures on toys whose answers are known by hand: the MAE over
/// what the oracle reads, the Naive and #Atoms bounds, the oracle on molecules, the target grid,
/// the data's quantiles and EDM's table in EDM's units.
@Suite struct ConditionalEvaluationTests {
    /// A row of `count` atoms of `element`, 1.5 Å apart.
    static func chain(_ count: Int, element: Int = 6) -> Molecule {
        Molecule(atoms: (0 ..< count).map { .init(element: Element(atomicNumber: element)!, position: SIMD3(1.5 * Double($0), 0, 0)) })
    }

    /// An oracle that predicts 2 · atoms: a known function of the graph.
    static func twiceTheAtomCount(vocabulary: [Int] = [1, 6]) throws -> AtomCountPredictor {
        try AtomCountPredictor(property: "Polarizability_bohr3", vocabulary: vocabulary, sizes: [3, 4, 5], values: [6, 8, 10])
    }

    @Test func adherenceIsOverTheMoleculesTheOracleRead() {
        let a = PropertyAdherence(predictions: [1, nil, 3], targets: [2, 5, 2])
        #expect(a.count == 3 && a.read == 2)
        expectClose(a.meanAbsoluteError, 1.0, tolerance: 1e-12)     // (|1 − 2| + |3 − 2|) / 2
        expectClose(a.mean, 2.0, tolerance: 1e-12)
        expectClose(a.targetMean, 2.0, tolerance: 1e-12)             // the unread molecule's target 5 left out
        expectClose(a.spread, 2.0.squareRoot(), tolerance: 1e-12)   // ((1 − 2)² + (3 − 2)²) / (2 − 1)
        let none = PropertyAdherence(predictions: [nil], targets: [1])
        #expect(none.read == 0 && none.meanAbsoluteError.isNaN && none.spread.isNaN)
    }

    @Test func theShuffledBoundIsTheMeanOverEveryOtherMoleculesLabel() {
        expectClose(ConditionalBaselines.shuffledError(predictions: [0, 1], labels: [0, 1]), 1.0, tolerance: 1e-12)
        // i = 0: |0 − 2| + |0 − 5|; i = 1: |0 − 1| + |0 − 5|; i = 2: |3 − 1| + |3 − 2|: 16 over 6 pairs.
        expectClose(ConditionalBaselines.shuffledError(predictions: [0, 0, 3], labels: [1, 2, 5]), 16.0 / 6, tolerance: 1e-12)
        var rng = Xoshiro256StarStar(seed: 4)
        let p = (0 ..< 300).map { _ in Double.random(in: -5 ... 5, using: &rng) }
        let y = (0 ..< 300).map { _ in Double(Int.random(in: -3 ... 3, using: &rng)) }   // ties with each other
        var brute = 0.0
        for i in p.indices { for j in y.indices where i != j { brute += abs(p[i] - y[j]) } }
        expectClose(ConditionalBaselines.shuffledError(predictions: p, labels: y), brute / Double(300 * 299), tolerance: 1e-9)
    }

    @Test func boundsOnAToyWithAKnownAnswer() throws {
        // #Atoms fitted on sizes 3, 3, 4, 4 with labels 5, 7, 9, 11: g(3) = 6, g(4) = 10, g(5) = g(4).
        let atomCount = try AtomCountPredictor(property: "alpha", vocabulary: [6], sizes: [3, 3, 4, 4], values: [5, 7, 9, 11])
        let oracle = PropertyOracle(predictor: try Self.twiceTheAtomCount(), name: "2n")
        let heldOut = [3, 4, 5].map { Self.chain($0) }, labels = [6.5, 8.5, 13.0]
        let predictions = try oracle.predictions(of: heldOut)
        #expect(predictions == [6, 8, 10])
        let bounds = try ConditionalBaselines(predictions: predictions, sizes: [3, 4, 5], labels: labels, atomCount: atomCount, fitted: 4)
        expectClose(bounds.atoms, (0.5 + 1.5 + 3) / 3, tolerance: 1e-12)    // |6 − 6.5|, |10 − 8.5|, |10 − 13|
        expectClose(bounds.oracle, (0.5 + 0.5 + 3) / 3, tolerance: 1e-12)   // |6 − 6.5|, |8 − 8.5|, |10 − 13|
        // Pairs i ≠ j: |6 − 8.5| + |6 − 13| + |8 − 6.5| + |8 − 13| + |10 − 6.5| + |10 − 8.5| = 21 over 6.
        expectClose(bounds.naive, 3.5, tolerance: 1e-12)
        #expect(bounds.heldOut == 3 && bounds.unread == 0 && bounds.fitted == 4)

        // A molecule the oracle cannot read leaves Naive and the oracle's error, not #Atoms.
        let withUnread = try ConditionalBaselines(predictions: predictions + [Double?.none], sizes: [3, 4, 5, 4], labels: labels + [100.0],
                                                  atomCount: atomCount, fitted: 4)
        #expect(withUnread.naive == bounds.naive && withUnread.oracle == bounds.oracle && withUnread.unread == 1)
        expectClose(withUnread.atoms, 95.0 / 4, tolerance: 1e-12)   // 5 as above, and |g(4) − 100| = 90
        #expect(throws: PipelineError.invalidCondition(reason: "the bounds need at least 2 held-out molecules the oracle reads; it read 1")) {
            try ConditionalBaselines(predictions: [1, nil], sizes: [3, 3], labels: [1, 2], atomCount: atomCount, fitted: 4)
        }
    }

    @Test func theOracleLeavesOutWhatItCannotRead() throws {
        let oracle = PropertyOracle(predictor: try Self.twiceTheAtomCount(vocabulary: [1, 6]), name: "2n")
        let nitrogen = Self.chain(4, element: 7)   // outside the oracle's vocabulary
        #expect(try oracle.predictions(of: [Self.chain(3), nitrogen, Self.chain(5)]) == [6, nil, 10])

        struct NaNPredictor: PropertyPredictor {
            var property = "alpha", vocabulary = [6]
            func predict(_ batch: GraphBatch) throws -> [Double] { batch.layout.nodeCounts.map { $0 == 4 ? .nan : 1 } }
        }
        #expect(try PropertyOracle(predictor: NaNPredictor(), name: "nan").predictions(of: [Self.chain(3), Self.chain(4)]) == [1, nil])

        struct ShortPredictor: PropertyPredictor {
            var property = "alpha", vocabulary = [6]
            func predict(_ batch: GraphBatch) throws -> [Double] { [1] }
        }
        #expect(throws: PipelineError.invalidModel(path: "short", reason: "it gave 1 predictions for 2 molecules")) {
            try PropertyOracle(predictor: ShortPredictor(), name: "short").predictions(of: [Self.chain(3), Self.chain(4)])
        }
    }

    @Test func anOracleOfAnotherPropertyIsRefused() throws {
        let condition = try Self.condition(properties: ["Polarizability_bohr3"])
        let alpha = PropertyOracle(predictor: try Self.twiceTheAtomCount(), name: "alpha.json")
        #expect(try alpha.propertyIndex(in: condition, model: "m.rgdm") == 0)
        let mu = PropertyOracle(predictor: try AtomCountPredictor(property: "mu", vocabulary: [6], sizes: [3], values: [1]), name: "mu.json")
        #expect(throws: PipelineError.invalidModel(path: "mu.json", reason: "it predicts mu; model m.rgdm is conditioned on Polarizability_bohr3")) {
            try mu.propertyIndex(in: condition, model: "m.rgdm")
        }
    }

    @Test func targetGrids() throws {
        #expect(try TargetGrid(parsing: "60:100:20").values == [60, 80, 100])
        #expect(try TargetGrid(parsing: "0:1:0.4").values == [0, 0.4, 0.8])
        #expect(try TargetGrid(parsing: "3,1,2,1").values == [1, 2, 3])
        #expect(try TargetGrid(parsing: "-1").values == [-1])
        #expect(throws: PipelineError.invalidCondition(reason: "targets '1:0:1': LO:HI:STEP needs HI ≥ LO and STEP > 0")) {
            try TargetGrid(parsing: "1:0:1")
        }
        #expect(throws: PipelineError.invalidCondition(reason: "targets 'nan': 'nan' is not a finite number")) { try TargetGrid(parsing: "nan") }
        #expect(throws: PipelineError.invalidCondition(reason: "targets '1,x': 'x' is not a finite number")) { try TargetGrid(parsing: "1,x") }
        #expect(throws: PipelineError.invalidCondition(reason: "targets '1:2': write LO:HI:STEP or a list A,B,C")) { try TargetGrid(parsing: "1:2") }
        #expect(throws: PipelineError.invalidCondition(reason: "targets '0:5000:1' gives 5001 targets, more than 1000")) {
            try TargetGrid(parsing: "0:5000:1")
        }
    }

    @Test func quantilesInterpolateBetweenOrderStatistics() {
        #expect(ExtrapolationSweep.quantile(0.5, of: [4, 1, 3, 2]) == 2.5)
        #expect(ExtrapolationSweep.quantile(0, of: [4, 1, 3, 2]) == 1 && ExtrapolationSweep.quantile(1, of: [4, 1, 3, 2]) == 4)
        expectClose(ExtrapolationSweep.quantile(0.01, of: (0 ... 100).map(Double.init)), 1.0, tolerance: 1e-12)
        #expect(ExtrapolationSweep.quantile(0.5, of: []).isNaN)
    }

    @Test func edmsTableIsInEDMsUnits() throws {
        let gap = try #require(EDMConditionalResults.forProperty("HOMO_LUMO_gap_au"))
        #expect(gap.edm == 655 && gap.naive == 1470 && gap.atoms == 866 && gap.unit == "meV")
        expectClose(0.1 * gap.scale, 2721.1386, tolerance: 1e-3)   // 0.1 Hartree in meV
        let alpha = try #require(EDMConditionalResults.forProperty("Polarizability_bohr3"))
        #expect(alpha.scale == 1 && alpha.edm == 2.76 && alpha.atoms == 3.86 && alpha.naive == 9.01)
        #expect(EDMConditionalResults.forProperty("mu")?.atoms == 1.053 && EDMConditionalResults.forProperty("Cv")?.naive == 6.857)
        #expect(EDMConditionalResults.forProperty("R2_bohr2") == nil)
    }

    /// A condition card over `properties` with a few reference pairs.
    static func condition(properties: [String]) throws -> ConditionCard {
        let k = properties.count
        return ConditionCard(properties: properties,
                             normalization: try ConditionNormalization(fitting: (0 ..< 4 * k).map(Double.init), properties: k),
                             training: try ConditionalTraining(dropout: 0.1, earlyStop: 0),
                             labels: LabelProvenance(labelledFraction: 1, noise: [0], seed: 0, propertyModels: [], labelledMolecules: [],
                                                     trainingMolecules: 4),
                             reference: ConditionReference(sizes: [3, 3, 4, 4], values: (0 ..< 4 * k).map(Double.init)))
    }
}
