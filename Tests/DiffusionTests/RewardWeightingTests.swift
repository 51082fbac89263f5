import Foundation
import Testing
@testable import Diffusion

/// The pay-off weights N · softmax(r/τ) and their limits.
@Suite struct RewardWeightingTests {
    @Test func weightsAreTheSoftmaxOfRewardsOverTemperatureTimesN() throws {
        let rewards = [0.0, 1.0, 2.5], tau = 0.7
        let w = try RewardWeighting.weights(rewards: rewards, temperature: tau)
        let exps = rewards.map { exp($0 / tau) }, total = exps.reduce(0, +)
        for k in rewards.indices {
            #expect(abs(Double(w[k]) - 3 * exps[k] / total) < 1e-6, "weight \(k): \(w[k])")
        }
        #expect(abs(w.reduce(0, +) - 3) < 1e-5, "weights sum to N")
        // Shifting every reward changes nothing; huge rewards do not overflow.
        #expect(try RewardWeighting.weights(rewards: rewards.map { $0 + 1e4 }, temperature: tau) == w)
    }

    @Test func equalRewardsGiveUniformWeights() throws {
        #expect(try RewardWeighting.weights(rewards: [0.3, 0.3, 0.3, 0.3], temperature: 0.01) == [1, 1, 1, 1])
    }

    @Test func smallTemperatureConcentratesOnTheBestAndLargeSpreadsEvenly() throws {
        let rewards = [0.1, 0.9, 0.5]
        let cold = try RewardWeighting.weights(rewards: rewards, temperature: 1e-4)
        #expect(cold == [0, 3, 0], "τ → 0: all weight on the argmax")
        let hot = try RewardWeighting.weights(rewards: rewards, temperature: 1e6)
        #expect(hot.allSatisfy { abs($0 - 1) < 1e-5 }, "τ → ∞: uniform, \(hot)")
    }

    @Test func aBadTemperatureOrRewardIsRefusedByName() {
        for tau in [0, -1, Double.nan, .infinity] {
            #expect { try RewardWeighting.weights(rewards: [1], temperature: tau) } throws: { error in
                guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
                return reason.contains("temperature must be > 0")
            }
        }
        #expect { try RewardWeighting.weights(rewards: [1, .nan], temperature: 1) } throws: { error in
            guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
            return reason == "reward 1 is nan"
        }
    }
}
