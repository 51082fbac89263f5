import Foundation
import Testing
@testable import Diffusion

@Suite struct RewardGuidedSamplingTests {
    /// The exact model of N(0, I) features and r = aᵀx̂_0. Each guided step keeps one of K
    /// proposals z^k = μ + q ξ_k by softmax(α_s q aᵀξ_k / τ), which moves the step's mean by
    /// κ_K α_s q² a / τ (κ_K = 1 − 1/K for small tilts); the chain carries each move to z_0
    /// through its linear mean map m_s = (1/α_{t|s} − c_t σ_t) m_t.
    @Test func linearRewardShiftsAGaussianModelsSamplesByTheAnalyticAmount() throws {
        let width = 2, a = [0.3, -0.2], count = 3000
        let model = try SampleLevelRGDMTests.model()
        let schedule = model.process.schedule
        let guided = try RewardGuidedSampling(explorations: 8, temperature: 0.25, levels: 60)
        var generator = Xoshiro256StarStar(seed: 12)
        let result = try guided.generate(model: model, parameters: [0, 0], nodeCounts: [Int](repeating: 1, count: count),
                                         score: { graphs in
                                             (0 ..< graphs.layout.graphCount).map { g in
                                                 (0 ..< width).reduce(0.0) { $0 + a[$1] * Double(graphs.features[g * width + $1]) }
                                             }
                                         }, using: &generator)
        var shift = 0.0
        for t in stride(from: schedule.timesteps, through: 1, by: -1) {
            let (alphaTS, sigma2TS) = schedule.transition(from: t - 1, to: t)
            let sigmaT = schedule.sigma(at: t), c = sigma2TS / alphaTS / sigmaT
            shift *= 1 / alphaTS - c * sigmaT
            if t <= guided.levels {
                let q2 = sigma2TS * pow(schedule.sigma(at: t - 1) / sigmaT, 2)
                shift += (1 - 1 / Double(guided.explorations)) * schedule.alpha(at: t - 1) * q2 / guided.temperature
            }
        }
        for j in 0 ..< width {
            let mean = (0 ..< count).map { Double(result.features[$0 * width + j]) }.reduce(0, +) / Double(count)
            let expected = a[j] * shift
            // Standard error of the mean ≈ 0.018; κ_K is exact only as the tilt vanishes.
            #expect(abs(mean - expected) <= 0.05 + 0.05 * abs(expected), "component \(j): \(mean) vs \(expected)")
        }
        #expect(abs(a[0] * shift) > 0.2, "the test needs a visible shift, got \(a[0] * shift)")
    }

    @Test func sameSeedSameSamplesAndBadSettingsAreRefused() throws {
        let model = try SampleLevelRGDMTests.model()
        let guided = try RewardGuidedSampling(explorations: 3, temperature: 1, levels: 10)
        func draw() throws -> [Float] {
            var generator = Xoshiro256StarStar(seed: 3)
            return try guided.generate(model: model, parameters: [0.5, 0], nodeCounts: [1, 1, 1],
                                       score: { graphs in graphs.features.enumerated().filter { $0.offset % 2 == 0 }.map { Double($0.element) } },
                                       using: &generator).features
        }
        #expect(try draw() == draw())
        #expect { try RewardGuidedSampling(explorations: 0, temperature: 1, levels: 1) } throws: { error in
            guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
            return reason.contains("explorations K")
        }
        #expect { try RewardGuidedSampling(explorations: 2, temperature: 0, levels: 1) } throws: { error in
            guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
            return reason.contains("temperature τ")
        }
    }
}
