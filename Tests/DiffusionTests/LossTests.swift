import Foundation
import Testing
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
        #expect(TrainingTestSupport.maxDifference(losses, expected) < 1e-12)
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
        var worst = 0.0
        for k in 0 ..< 15 {
            var plus = Self.prediction, minus = Self.prediction
            plus.positions[k] += h; minus.positions[k] -= h
            let numeric = (EpsilonLoss.evaluate(prediction: plus, target: Self.target, layout: Self.layout, weights: weights).value
                - EpsilonLoss.evaluate(prediction: minus, target: Self.target, layout: Self.layout, weights: weights).value) / Double(2 * h)
            worst = max(worst, abs(numeric - Double(analytic.gradient.positions[k])))
        }
        for k in 0 ..< 10 {
            var plus = Self.prediction, minus = Self.prediction
            plus.features[k] += h; minus.features[k] -= h
            let numeric = (EpsilonLoss.evaluate(prediction: plus, target: Self.target, layout: Self.layout, weights: weights).value
                - EpsilonLoss.evaluate(prediction: minus, target: Self.target, layout: Self.layout, weights: weights).value) / Double(2 * h)
            worst = max(worst, abs(numeric - Double(analytic.gradient.features[k])))
        }
        #expect(worst < 1e-5, "largest gradient error \(worst)")
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
        #expect(throws: DiffusionError.self) { try RewardWeighting.weights(rewards: [1], temperature: 0) }
    }
}
