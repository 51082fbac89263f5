import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// Step-level RGDM on a latent prior (`StepLevelRGDM` through `LatentPriorModel`): the data
/// states are shape latents under the frozen encoder (`EncodedLatents`), the network's gradient
/// lands in the prior's range alone, and the steps move the prior's samples toward the reward.
@Suite struct LatentPriorStepLevelRGDMTests {
    /// A small latent point model whose prior learns posterior means (the data states' kind).
    static func meanTargetModel(latentWidth: Int = 2, priorWidths: [Int] = [8], timesteps: Int = 20,
                                target: LatentPriorTarget = .mean) throws -> LatentPointModel {
        try LatentPointModel(configuration: LatentPointConfiguration(
            latentWidth: latentWidth, encoderPointWidths: [6, 8], encoderHeadWidths: [5], decoderWidths: [7, 6],
            priorWidths: priorWidths, decoderPointsPerStep: nil, priorTarget: target, klWeight: 0.1),
            schedule: PolynomialSchedule(timesteps: timesteps, power: 2, precision: 1e-5), threads: 1)
    }

    /// `count` clouds of 5 Gaussian points each.
    static func clouds(_ count: Int, seed: UInt64) -> InMemoryGraphs {
        var generator = Xoshiro256StarStar(seed: seed)
        return InMemoryGraphs(positions: (0 ..< count).map { _ in
            var x = [Float](repeating: 0, count: 15)
            generator.fillStandardNormal(&x)
            return x
        }, features: [[Float]](repeating: [], count: count))
    }

    /// The data states are the posterior means the encoder gives each cloud, one one-node graph per cloud.
    @Test func encodedLatentsAreTheEncodersPosteriorMeans() throws {
        let base = try Self.meanTargetModel(latentWidth: 3)
        var generator = Xoshiro256StarStar(seed: 1)
        let parameters = base.initialParameters(using: &generator)
        let clouds = Self.clouds(4, seed: 2)
        let latents = try LatentPriorModel(base).trainingLatents(of: clouds, parameters: parameters)
        let batch = try latents.batch(at: [2, 0])
        #expect(latents.count == 4 && batch.layout.nodeCounts == [1, 1] && batch.positions == [Float](repeating: 0, count: 6))
        let expected = try clouds.batch(at: [2, 0])
        #expect(batch.features == base.encode(expected.positions, layout: expected.layout, parameters: parameters))
        #expect(batch.features.count == 6 && batch.features.allSatisfy(\.isFinite))
        try LatentPriorModel(base).validate(batch)
    }

    /// A prior trained on posterior samples has no one latent per shape: refused by name.
    @Test func aPriorOfPosteriorSamplesIsRefused() throws {
        let base = try Self.meanTargetModel(target: .sample)
        var generator = Xoshiro256StarStar(seed: 1)
        let parameters = base.initialParameters(using: &generator)
        #expect { try LatentPriorModel(base).trainingLatents(of: Self.clouds(2, seed: 1), parameters: parameters) } throws: { error in
            guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
            return reason.contains("prior target sample") && reason.contains("--prior-target mean")
        }
    }

    /// The loss with every draw fixed, through the view: ∂L/∂θ against central differences on
    /// the prior's weights, and exactly zero on the encoder's and decoder's.
    @Test func gradientMatchesFiniteDifferencesAndSparesTheFrozenParts() throws {
        let width = 2
        let base = try Self.meanTargetModel(latentWidth: width, priorWidths: [6])
        let view = LatentPriorModel(base)
        var generator = Xoshiro256StarStar(seed: 3)
        let parameters = base.initialParameters(using: &generator)
        let data = try view.trainingLatents(of: Self.clouds(6, seed: 4), parameters: parameters)
        let settings = StepLevelRGDM<PointwiseDenoiser>.Settings(temperature: 0.5, explorations: 3, radius: 0.8,
                                                                 dataWeight: 0.7, batchSize: 3)
        let rgdm = try StepLevelRGDM(model: view, settings: settings, data: data, seed: 1) { latents in
            (0 ..< latents.layout.graphCount).map { g in Double(latents.features[g * width]) - 0.3 * Double(latents.features[g * width + 1]) }
        }
        #expect(rgdm.trainedRange == base.priorRange && rgdm.parameterCount == base.parameterCount)
        let targets = try rgdm.targets(parameters: parameters, batch: data.batch(at: [1, 4, 5]), using: &generator)
        let (loss, gradient) = rgdm.lossAndGradient(parameters: parameters, targets: targets)
        #expect(loss.isFinite && loss > 0)
        for range in [base.encoderRange, base.decoderRange] {
            #expect(gradient[range].allSatisfy { $0 == 0 }, "no gradient outside the prior")
        }
        #expect(gradient[base.priorRange].contains { $0 != 0 })
        let h: Float = 1e-2
        func numeric(_ k: Int) -> Double {
            var plus = parameters, minus = parameters
            plus[k] += h
            minus[k] -= h
            return (rgdm.lossAndGradient(parameters: plus, targets: targets).loss
                - rgdm.lossAndGradient(parameters: minus, targets: targets).loss) / Double(2 * h)
        }
        for k in stride(from: base.priorRange.lowerBound, to: base.priorRange.upperBound, by: 3) {
            let expected = numeric(k)
            #expect(abs(Double(gradient[k]) - expected) <= 2e-3 + 2e-2 * abs(expected), "prior parameter \(k): \(gradient[k]) vs \(expected)")
        }
        // With the draws fixed, the frozen parts do not enter the loss at all.
        for k in [base.encoderRange.lowerBound, base.decoderRange.lowerBound] { #expect(numeric(k) == 0) }
    }

    /// The toy with a known optimum: a prior fitted to latents N(0, I), then step-level RGDM with
    /// r(z) = −‖z − c‖² on the draws' x̂_0 and the data term on N(0, I) latents: each step tilts
    /// the prior's reverse steps toward the draws nearer c, so its samples move toward the
    /// reward's maximiser c (to where the pull balances the data term's; no closed form for an
    /// MLP prior, unlike `StepLevelRGDMTests`' mean-only model). The encoder and decoder keep the
    /// base weights bit for bit.
    @Test func aQuadraticRewardMovesThePriorsSamplesTowardItsMaximiser() throws {
        let width = 2, c = [1.2, -0.8]
        let base = try Self.meanTargetModel(latentWidth: width, priorWidths: [32, 32], timesteps: 50)
        let view = LatentPriorModel(base)
        let fit = try LatentPriorModelTests.priorFittedToStandardNormal(view, width: width)
        let fitted = fit.state.parameters
        let trainer = try Trainer(model: view, resumingFrom: fit.checkpoint(modelConfiguration: "{}"),
                                  changes: .init(learningRate: 5e-5))
        let sizes = try NodeCountDistribution(observedCounts: [1])
        func distanceToOptimum() throws -> Double {
            var generator = Xoshiro256StarStar(seed: 99)
            let result = try view.sample(count: 2000, batchSize: 2000, nodeCounts: sizes, condition: [],
                                         parameters: trainer.state.parameters, sampling: SamplingSettings(kind: .ancestral),
                                         using: &generator, progress: { _ in })[0]
            let mean = (0 ..< width).map { LatentPriorModelTests.mean(result, component: $0, width: width) }
            return zip(mean, c).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
        let before = try distanceToOptimum()
        var latents = Xoshiro256StarStar(seed: 9)
        let states = LatentPriorModelTests.gaussianLatents(512, width: width, using: &latents)
        let source = InMemoryGraphs(positions: [[Float]](repeating: [0, 0, 0], count: 512),
                                    features: (0 ..< 512).map { Array(states.features[($0 * width) ..< (($0 + 1) * width)]) })
        var rgdm = try StepLevelRGDM(model: view, settings: .init(temperature: 0.1, explorations: 8, radius: 1, dataWeight: 1,
                                                                 batchSize: 64),
                                     data: source, seed: 5) { latents in
            (0 ..< latents.layout.graphCount).map { g in
                -(0 ..< width).reduce(0.0) { $0 + pow(Double(latents.features[g * width + $1]) - c[$1], 2) }
            }
        }
        for _ in 0 ..< 300 { _ = try rgdm.step(trainer) }
        let after = try distanceToOptimum()
        // The fitted prior's mean is ≈ 0, √(1.2² + 0.8²) ≈ 1.44 from c (sampling error ≈ 0.03);
        // 300 steps at 5e-5 bring it to about 0.4 from c (a run at 600 steps stays within 0.5).
        #expect(abs(before - 1.44) < 0.15, "before: \(before)")
        #expect(after < 0.5 * before, "the samples' mean is \(after) from the reward's maximiser (was \(before))")
        let weights = trainer.state.parameters
        for range in [base.encoderRange, base.decoderRange] {
            #expect(Array(weights[range]) == Array(fitted[range]), "the encoder and decoder are frozen")
        }
    }
}
