import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// `DDPO.Settings.logRatioLimit`: transitions whose |log ρ| passes the limit keep their clipped
/// term and give no gradient; the rest are as without a limit.
@Suite struct DDPOLogRatioLimitTests {
    @Test func transitionsPastTheLimitKeepTheirClippedTermAndGiveNoGradient() throws {
        let width = 3
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 40, featureWidth: width, divisor: 4)
        let model = try GraphDiffusionModel(network: LinearTestDenoiser(featureWidth: width), process: process)
        func ddpo(limit: Double?) throws -> DDPO<LinearTestDenoiser> {
            try DDPO(model: model, settings: .init(chains: 4, steps: 5, minibatch: 4, clip: 0.2, logRatioLimit: limit),
                     nodeCounts: try NodeCountDistribution(observedCounts: [3, 4]), seed: 2) { samples in
                (0 ..< samples.layout.graphCount).map { g in Double(samples.features[samples.layout.nodes(ofGraph: g).lowerBound * width]) }
            }
        }
        let plain = try ddpo(limit: nil), limited = try ddpo(limit: 20)
        var generator = Xoshiro256StarStar(seed: 5)
        let theta = model.initialParameters(using: &generator)
        var round = try plain.drawRound(parameters: theta, using: &generator)
        // Inside the limit (ρ = 1 at θ_old) the limit changes nothing.
        let (loss, gradient) = plain.lossAndGradient(parameters: theta, round: round, chains: [0, 1, 2, 3])
        let (limitedLoss, limitedGradient) = limited.lossAndGradient(parameters: theta, round: round, chains: [0, 1, 2, 3])
        #expect(limitedLoss == loss && limitedGradient == gradient && gradient.contains { $0 != 0 })
        // A chain of negative advantage whose old log-densities lie 1,000 below the new ones: ρ
        // overflows, and PPO's pessimistic term with it, without the limit.
        let c = try #require(round.advantages.firstIndex { $0 < 0 })
        for j in round.oldLogDensity.indices { round.oldLogDensity[j][c] -= 1000 }
        #expect(plain.lossAndGradient(parameters: theta, round: round, chains: [c]).loss == .infinity)
        let (past, pastGradient) = limited.lossAndGradient(parameters: theta, round: round, chains: [c])
        expectClose(past, -round.advantages[c] * 1.2, tolerance: 1e-12, "the clipped term, ρ at 1 + ε")
        #expect(pastGradient.allSatisfy { $0 == 0 })
        // The other chains' gradient is untouched by that one's.
        let rest = (0 ..< 4).filter { $0 != c }
        #expect(limited.lossAndGradient(parameters: theta, round: round, chains: rest).gradient
                == plain.lossAndGradient(parameters: theta, round: round, chains: rest).gradient)
        #expect(throws: DiffusionError.self) { try DDPO<LinearTestDenoiser>.Settings(chains: 4, steps: 5, minibatch: 4, logRatioLimit: 0).validate() }
    }
}
