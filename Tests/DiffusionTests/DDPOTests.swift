import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct DDPOTests {
    static let width = 2

    /// r = −‖x − c‖².
    static func reward(_ c: [Double]) -> DDPO<GaussianMeanDenoiser>.Score {
        { samples in
            (0 ..< samples.layout.graphCount).map { g in
                -(0 ..< width).reduce(0.0) { $0 + pow(Double(samples.features[g * width + $1]) - c[$1], 2) }
            }
        }
    }

    /// At θ = θ_old (ρ = 1, inside the clip) PPO's gradient is the policy gradient
    /// −(1/(M·S)) Σ A ∇log p_θ(z_s | z_t): checked against central differences of Σ A log p, which is
    /// quadratic in θ for this linear denoiser (so exact despite the steep low-noise steps).
    @Test func gradientIsThePolicyGradientByFiniteDifferences() throws {
        let width = 3
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 40, featureWidth: width, divisor: 4)
        let model = try GraphDiffusionModel(network: LinearTestDenoiser(featureWidth: width), process: process)
        let ddpo = try DDPO(model: model, settings: .init(chains: 4, steps: 5, minibatch: 3),
                            nodeCounts: try NodeCountDistribution(observedCounts: [3, 4]), seed: 2) { samples in
            (0 ..< samples.layout.graphCount).map { g in Double(samples.features[samples.layout.nodes(ofGraph: g).lowerBound * width]) }
        }
        var generator = Xoshiro256StarStar(seed: 5)
        let theta = model.initialParameters(using: &generator)
        let round = try ddpo.drawRound(parameters: theta, using: &generator)
        let chains = [0, 2, 3]
        let (_, gradient) = ddpo.lossAndGradient(parameters: theta, round: round, chains: chains)
        // −(1/(M·S)) Σ_j Σ_g A_g log p_θ(z_s | z_t), the chains of `chains` only.
        func objective(_ parameters: [Float]) -> Double {
            var total = 0.0
            for (j, level) in round.levels.enumerated() {
                let k = DDPO<LinearTestDenoiser>.stepCoefficients(process.schedule, from: level.t, to: level.s)
                let time = [Float](repeating: Float(level.t) / 40, count: round.layout.graphCount)
                let prediction = model.network.predict(DenoiserInput(layout: round.layout, positions: round.before[j].positions,
                                                                     features: round.before[j].features, time: time),
                                                       parameters: parameters)
                let log = DDPO<LinearTestDenoiser>.logDensities(after: round.after[j], before: round.before[j],
                                                                prediction: prediction, layout: round.layout, k)
                for g in chains { total -= round.advantages[g] * log[g] }
            }
            return total / Double(chains.count * round.levels.count)
        }
        let h: Float = 1e-2
        let numeric = theta.indices.map { k -> Double in
            var plus = theta, minus = theta
            plus[k] += h
            minus[k] -= h
            return (objective(plus) - objective(minus)) / Double(2 * h)
        }
        // The low-noise steps make log p large (|log p| ~ 1e4), so Float predictions leave ~0.5 % in the differences.
        expectClose(gradient.map(Double.init), numeric, tolerance: 1e-3, relative: 1e-2)
        #expect(gradient.contains { $0 != 0 })
    }

    /// A Gaussian model learnable in its mean under r = −‖x − c‖²: E[r] is largest at m = c.
    @Test func aQuadraticRewardMovesAGaussianModelToItsMaximum() throws {
        let model = try SampleLevelRGDMTests.model()
        let c = [0.5, -0.3]
        var ddpo = try DDPO(model: model, settings: .init(chains: 128, steps: 10, passes: 1, minibatch: 64, clip: 0.2),
                            nodeCounts: SampleLevelRGDMTests.singleNodes, seed: 3, score: Self.reward(c))
        let trainer = try Trainer(model: model, configuration: TrainerConfiguration(
            optimizer: AdamWConfiguration(learningRate: 0.01), emaDecay: 0, clipsGradients: false, batchSize: 64, seed: 1),
            datasetSize: 1)
        for _ in 0 ..< 240 { try ddpo.step(trainer) }
        for j in 0 ..< Self.width {
            #expect(abs(Double(trainer.state.parameters[j]) - c[j]) < 0.1, "component \(j): \(trainer.state.parameters[j]) vs \(c[j])")
        }
    }

    @Test func aResumedRunContinuesExactly() throws {
        let c = [0.5, -0.3]
        let settings = DDPO<GaussianMeanDenoiser>.Settings(chains: 8, steps: 4, passes: 2, minibatch: 3)
        func trainer(_ model: GraphDiffusionModel<GaussianMeanDenoiser>) throws -> Trainer {
            try Trainer(model: model, configuration: TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 0.01),
                                                                          emaDecay: 0, batchSize: 3, seed: 1), datasetSize: 1)
        }
        let straightModel = try SampleLevelRGDMTests.model()
        var straight = try DDPO(model: straightModel, settings: settings, nodeCounts: SampleLevelRGDMTests.singleNodes, seed: 4,
                                score: Self.reward(c))
        let straightTrainer = try trainer(straightModel)
        let straightLosses = try (0 ..< 9).map { _ in try straight.step(straightTrainer).loss }

        let firstModel = try SampleLevelRGDMTests.model()
        var first = try DDPO(model: firstModel, settings: settings, nodeCounts: SampleLevelRGDMTests.singleNodes, seed: 4,
                             score: Self.reward(c))
        let firstTrainer = try trainer(firstModel)
        var losses = try (0 ..< 4).map { _ in try first.step(firstTrainer).loss }
        var checkpoint = firstTrainer.checkpoint(modelConfiguration: "{}")
        checkpoint.runState = try first.runState()
        let decoded = try Checkpoint(encoded: checkpoint.encoded(), path: "resume")
        let resumedModel = try SampleLevelRGDMTests.model()
        let resumedTrainer = try Trainer(model: resumedModel, resumingFrom: decoded)
        var resumed = try DDPO(model: resumedModel, settings: settings, nodeCounts: SampleLevelRGDMTests.singleNodes, seed: 4,
                               runState: decoded.runState, score: Self.reward(c))
        losses += try (4 ..< 9).map { _ in try resumed.step(resumedTrainer).loss }
        #expect(losses == straightLosses)
        #expect(resumedTrainer.state.parameters == straightTrainer.state.parameters)
    }
}
