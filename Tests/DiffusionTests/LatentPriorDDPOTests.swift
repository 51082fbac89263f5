import Foundation
import Testing
@testable import Diffusion

/// DDPO on a latent prior (`LatentPriorModel` as an `AncestralPolicy`): PPO over the prior's
/// transitions moves its samples toward the reward, the encoder and decoder frozen.
@Suite struct LatentPriorDDPOTests {
    /// A prior fitted to N(0, I) in two dimensions, then DDPO under r(z) = aᵀz: the sample mean
    /// moves along a (and the frozen parts keep the base weights bit for bit).
    @Test func aLinearRewardMovesThePriorsMeanAlongItsDirection() throws {
        let width = 2, a = [0.6, -0.8]
        let base = try LatentPriorModelTests.pointModel(latentWidth: width, priorWidths: [32, 32], timesteps: 50)
        let view = LatentPriorModel(base)
        let fit = try LatentPriorModelTests.priorFittedToStandardNormal(view, width: width)
        let fitted = fit.state.parameters
        // DDPO's steps are small ones (a fine-tuning rate): at the fit's rate the chain's mean runs off by hundreds.
        let trainer = try Trainer(model: view, resumingFrom: fit.checkpoint(modelConfiguration: "{}"),
                                  changes: .init(learningRate: 3e-4))
        let sizes = try NodeCountDistribution(observedCounts: [1])
        func sampleMeans() throws -> [Double] {
            var generator = Xoshiro256StarStar(seed: 99)
            let result = try view.sample(count: 4000, batchSize: 4000, nodeCounts: sizes, condition: [],
                                         parameters: trainer.state.parameters, sampling: SamplingSettings(kind: .ancestral, steps: 10),
                                         using: &generator, progress: { _ in })[0]
            return (0 ..< width).map { LatentPriorModelTests.mean(result, component: $0, width: width) }
        }
        let before = try sampleMeans()
        var ddpo = try DDPO(model: view, settings: .init(chains: 256, steps: 10, passes: 1, minibatch: 128, clip: 0.2),
                            nodeCounts: sizes, seed: 5) { latents in
            (0 ..< latents.layout.graphCount).map { g in
                (0 ..< width).reduce(0.0) { $0 + a[$1] * Double(latents.features[g * width + $1]) }
            }
        }
        for _ in 0 ..< 20 { try ddpo.step(trainer) }
        let after = try sampleMeans()
        let shift = zip(after, before).map { $0 - $1 }
        let along = zip(shift, a).reduce(0.0) { $0 + $1.0 * $1.1 }, across = shift[0] * a[1] - shift[1] * a[0]
        // Sampling error of each mean ≈ 0.016 (the same generator before and after: less); 20
        // steps at 3e-4 move it about 0.5 along a, not the hundreds of a run-away policy.
        #expect(along > 0.2 && along < 1.5 && abs(across) < along / 3, "shift \(shift): along a \(along), across \(across)")
        let weights = trainer.state.parameters
        for range in [base.encoderRange, base.decoderRange] {
            #expect(Array(weights[range]) == Array(fitted[range]), "the encoder and decoder are frozen")
        }
    }
}
