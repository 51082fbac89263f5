import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct NoiseTests {
    @Test func zeroCenterOfMassNoiseHasZeroMeanAndProjectedVariance() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 10, featureWidth: 3)
        let layout = GraphLayout(nodeCounts: [2, 5, 9])
        var generator = Xoshiro256StarStar(seed: 42)
        var squares = [Double](repeating: 0, count: layout.graphCount)
        var featureSquares = 0.0
        let draws = 4000
        for _ in 0 ..< draws {
            let noise = process.sampleNoise(layout: layout, using: &generator)
            let means = CenterOfMass.means(of: noise.positions, layout: layout)
            expectClose(means, repeatElement(0, count: means.count), tolerance: 1e-6, "centres of mass")
            for g in 0 ..< layout.graphCount {
                for k in (3 * layout.nodes(ofGraph: g).lowerBound) ..< (3 * layout.nodes(ofGraph: g).upperBound) {
                    squares[g] += Double(noise.positions[k] * noise.positions[k])
                }
            }
            featureSquares += noise.features.reduce(0) { $0 + Double($1 * $1) }
        }
        // Each position component has variance 1 − 1/n in the zero-CoM subspace.
        for (g, n) in layout.nodeCounts.enumerated() {
            let variance = squares[g] / Double(draws * 3 * n)
            let expected = 1 - 1 / Double(n)
            #expect(abs(variance - expected) < 0.04 * expected, "graph of \(n) nodes: \(variance) vs \(expected)")
        }
        let featureVariance = featureSquares / Double(draws * layout.nodeCount * 3)
        #expect(abs(featureVariance - 1) < 0.03)
    }

    @Test func fullSubspaceDoesNotProject() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 10, featureWidth: 1, symmetry: .translation,
                                                                positionSubspace: .full)
        let layout = GraphLayout(nodeCounts: [4])
        var generator = Xoshiro256StarStar(seed: 1)
        var squares = 0.0, meanSquares = 0.0
        let draws = 4000
        for _ in 0 ..< draws {
            let noise = process.sampleNoise(layout: layout, using: &generator)
            squares += noise.positions.reduce(0) { $0 + Double($1 * $1) }
            meanSquares += CenterOfMass.means(of: noise.positions, layout: layout).reduce(0) { $0 + Double($1 * $1) }
        }
        #expect(abs(squares / Double(draws * 12) - 1) < 0.04)
        // The per-graph mean of 4 standard normals has variance 1/4 per axis.
        #expect(abs(meanSquares / Double(draws * 3) - 0.25) < 0.02)
        let x = process.prepare(positions: [1, 1, 1, 3, 3, 3, 1, 1, 1, 3, 3, 3], features: [0, 0, 0, 0], layout: layout)
        #expect(x.positions == [1, 1, 1, 3, 3, 3, 1, 1, 1, 3, 3, 3])
    }

    @Test func translationSymmetryKeepsTheZeroCenterOfMassByDefault() throws {
        // The EGNN predicts zero-mean ε̂_x under both symmetries.
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 10, featureWidth: 1, symmetry: .translation)
        #expect(process.positionSubspace == .zeroCenterOfMass)
        var generator = Xoshiro256StarStar(seed: 1)
        let layout = GraphLayout(nodeCounts: [4, 3])
        let noise = process.sampleNoise(layout: layout, using: &generator)
        let centres = CenterOfMass.means(of: noise.positions, layout: layout)
        expectClose(centres, repeatElement(0, count: centres.count), tolerance: 1e-6, "centres of mass")
    }

    @Test func gaussianDrawsHaveUnitMoments() {
        var generator = Xoshiro256StarStar(seed: 3)
        var buffer = [Float](repeating: 0, count: 100_001)
        generator.fillStandardNormal(&buffer)
        let values = buffer.map(Double.init)
        #expect(abs(TrainingTestSupport.mean(values)) < 0.015)
        #expect(abs(TrainingTestSupport.variance(values) - 1) < 0.015)
    }

    @Test func generatorStateRoundTrips() throws {
        var a = Xoshiro256StarStar(seed: 0xDEAD_BEEF)
        _ = (0 ..< 10).map { _ in a.next() }
        var b = try Xoshiro256StarStar(state: a.state)
        #expect((0 ..< 100).map { _ in a.next() } == (0 ..< 100).map { _ in b.next() })
        let decoded = try JSONDecoder().decode(Xoshiro256StarStar.self, from: JSONEncoder().encode(a))
        #expect(decoded == a && a.state.contains { $0 > 1 << 53 })
        #expect(throws: DiffusionError.invalidGeneratorState("xoshiro256** state is all zero")) { try Xoshiro256StarStar(state: [0, 0, 0, 0]) }
        #expect(throws: DiffusionError.invalidGeneratorState("xoshiro256** needs 4 state words, got 2")) { try Xoshiro256StarStar(state: [1, 2]) }
    }

    @Test func featureScalingRoundTrips() throws {
        let scaling = try FeatureScaling(blocks: [.init(width: 2, divisor: 4), .init(width: 1, divisor: 10)])
        let h: [Float] = [1, 0, 6, 0, 1, 8]
        #expect(scaling.scaled(h) == [0.25, 0, 0.6, 0, 0.25, 0.8])
        expectClose(scaling.unscaled(scaling.scaled(h)), h, tolerance: 1e-6)
        #expect(throws: DiffusionError.invalidConfiguration("feature block 0: divisor 0.0 must be finite and > 0")) {
            try FeatureScaling(blocks: [.init(width: 1, divisor: 0)])
        }
    }

    @Test func nodeCountsFollowTheHistogram() throws {
        let distribution = try NodeCountDistribution(histogram: [3: 1, 5: 3, 9: 0])
        #expect(distribution.counts == [3, 5])
        #expect(abs(distribution.logProbability(of: 5) - log(0.75)) < 1e-12)
        #expect(distribution.logProbability(of: 9) == -.infinity)
        var generator = Xoshiro256StarStar(seed: 11)
        let draws = distribution.sample(20000, using: &generator)
        let fraction = Double(draws.filter { $0 == 5 }.count) / 20000
        #expect(abs(fraction - 0.75) < 0.015)
        #expect(Set(draws) == [3, 5])
        #expect(throws: DiffusionError.invalidHistogram("no node count has a positive frequency")) { try NodeCountDistribution(histogram: [4: 0]) }
        #expect(throws: DiffusionError.invalidHistogram("no node count has a positive frequency")) { try NodeCountDistribution(observedCounts: []) }
    }
}
