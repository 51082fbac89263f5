import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct LossTests {
    // Two graphs (2 and 3 nodes), feature width 2.
    static let layout = GraphLayout(nodeCounts: [2, 3])
    static func values(_ seed: UInt64) -> GraphTensors {
        var generator = Xoshiro256StarStar(seed: seed)
        var x = [Float](repeating: 0, count: 15), h = [Float](repeating: 0, count: 10)
        generator.fillStandardNormal(&x)
        generator.fillStandardNormal(&h)
        return GraphTensors(positions: x, features: h)
    }
    static let target = values(1)
    static let prediction = DenoiserOutput(positions: values(2).positions, features: values(2).features)

    @Test func perGraphLossIsTheMeanSquaredErrorOverComponents() {
        let losses = EpsilonLoss.perGraph(prediction: Self.prediction, target: Self.target, layout: Self.layout)
        var expected = [0.0, 0.0]
        for i in 0 ..< 5 {
            let g = i < 2 ? 0 : 1
            for d in 0 ..< 3 { expected[g] += pow(Double(Self.target.positions[3 * i + d]) - Double(Self.prediction.positions[3 * i + d]), 2) }
            for j in 0 ..< 2 { expected[g] += pow(Double(Self.target.features[2 * i + j]) - Double(Self.prediction.features[2 * i + j]), 2) }
        }
        expected[0] /= 2 * 5; expected[1] /= 3 * 5
        expectClose(losses, expected, tolerance: 1e-12)
    }

    @Test func uniformWeightsEqualTheUnweightedMean() {
        let plain = EpsilonLoss.evaluate(prediction: Self.prediction, target: Self.target, layout: Self.layout)
        let ones = EpsilonLoss.evaluate(prediction: Self.prediction, target: Self.target, layout: Self.layout, weights: [1, 1])
        let perGraph = EpsilonLoss.perGraph(prediction: Self.prediction, target: Self.target, layout: Self.layout)
        #expect(abs(plain.value - (perGraph[0] + perGraph[1]) / 2) < 1e-12)
        #expect(plain.value == ones.value && plain.gradient.positions == ones.gradient.positions)
        let threes = EpsilonLoss.evaluate(prediction: Self.prediction, target: Self.target, layout: Self.layout, weights: [3, 3])
        #expect(abs(threes.value - 3 * plain.value) < 1e-12)
    }

    @Test func zeroWeightGraphContributesNothing() {
        let weighted = EpsilonLoss.evaluate(prediction: Self.prediction, target: Self.target, layout: Self.layout, weights: [0, 2])
        let perGraph = EpsilonLoss.perGraph(prediction: Self.prediction, target: Self.target, layout: Self.layout)
        #expect(abs(weighted.value - 2 * perGraph[1] / 2) < 1e-12)
        #expect(weighted.gradient.positions[0 ..< 6].allSatisfy { $0 == 0 })
        #expect(weighted.gradient.features[0 ..< 4].allSatisfy { $0 == 0 })
        #expect(weighted.gradient.positions[6...].contains { $0 != 0 })
    }

    @Test func gradientMatchesFiniteDifferences() {
        let weights: [Float] = [0.5, 1.7]
        let analytic = EpsilonLoss.evaluate(prediction: Self.prediction, target: Self.target, layout: Self.layout, weights: weights)
        let h: Float = 1e-2
        func numeric(_ bump: (inout DenoiserOutput, Float) -> Void) -> Double {
            var plus = Self.prediction, minus = Self.prediction
            bump(&plus, h); bump(&minus, -h)
            return (EpsilonLoss.evaluate(prediction: plus, target: Self.target, layout: Self.layout, weights: weights).value
                - EpsilonLoss.evaluate(prediction: minus, target: Self.target, layout: Self.layout, weights: weights).value) / Double(2 * h)
        }
        #expect(analytic.gradient.positions.count == 15 && analytic.gradient.features.count == 10)
        expectClose(analytic.gradient.positions, (0 ..< 15).map { k in numeric { $0.positions[k] += $1 } }, tolerance: 1e-5, "∂L/∂ε̂_x")
        expectClose(analytic.gradient.features, (0 ..< 10).map { k in numeric { $0.features[k] += $1 } }, tolerance: 1e-5, "∂L/∂ε̂_h")
    }

    @Test func zeroWeightGraphDoesNotMoveTheGradientStep() throws {
        // Through the denoiser: whatever the target of a weight-0 graph, the
        // θ-gradient stays the same.
        let denoiser = LinearTestDenoiser(featureWidth: 2)
        var generator = Xoshiro256StarStar(seed: 4)
        let parameters = denoiser.initialParameters(using: &generator)
        let input = DenoiserInput(layout: Self.layout, positions: Self.target.positions, features: Self.target.features,
                                  time: [0.3, 0.6])
        var weighted = [Float](repeating: 0, count: denoiser.parameterCount)
        _ = denoiser.lossAndGradient(input, parameters: parameters, gradient: &weighted) {
            EpsilonLoss.evaluate(prediction: $0, target: Self.target, layout: Self.layout, weights: [0, 1])
        }
        // The same with graph 0's target replaced: must not change anything.
        var otherTarget = Self.target
        for k in 0 ..< 6 { otherTarget.positions[k] += 5 }
        var moved = [Float](repeating: 0, count: denoiser.parameterCount)
        _ = denoiser.lossAndGradient(input, parameters: parameters, gradient: &moved) {
            EpsilonLoss.evaluate(prediction: $0, target: otherTarget, layout: Self.layout, weights: [0, 1])
        }
        #expect(weighted == moved)
        #expect(weighted.contains { $0 != 0 })
    }

    @Test func rewardWeightsAreAScaledSoftmax() throws {
        let w = try RewardWeighting.weights(rewards: [0, 1, 2], temperature: 0.5)
        #expect(abs(w.reduce(0, +) - 3) < 1e-5)
        #expect(abs(Double(w[2] / w[1]) - exp(2.0)) < 1e-4)
        #expect(try RewardWeighting.weights(rewards: [4, 4], temperature: 1) == [1, 1])
        #expect(throws: DiffusionError.invalidConfiguration("reward temperature must be > 0, got 0.0")) {
            try RewardWeighting.weights(rewards: [1], temperature: 0)
        }
    }
}
