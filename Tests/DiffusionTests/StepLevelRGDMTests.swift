import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct StepLevelRGDMTests {
    /// The loss with every draw fixed is a function of θ: its gradient against central differences.
    @Test func gradientMatchesFiniteDifferences() throws {
        let width = 3
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 50, featureWidth: width, divisor: 4)
        let model = try GraphDiffusionModel(network: LinearTestDenoiser(featureWidth: width), process: process)
        let data = InMemoryGraphs.random(count: 6, width: width, seed: 21)
        let settings = StepLevelRGDM<LinearTestDenoiser>.Settings(temperature: 0.3, explorations: 4, radius: 0.7,
                                                                  dataWeight: 0.5, batchSize: 3)
        // A reward on positions and features: the graph's first feature mean minus its spread.
        let rgdm = try StepLevelRGDM(model: model, settings: settings, data: data, seed: 1) { graphs in
            (0 ..< graphs.layout.graphCount).map { g in
                graphs.layout.nodes(ofGraph: g).reduce(0.0) { sum, i in
                    sum + Double(graphs.features[i * width]) - 0.1 * Double(graphs.positions[3 * i] * graphs.positions[3 * i])
                }
            }
        }
        var generator = Xoshiro256StarStar(seed: 7)
        let parameters = model.initialParameters(using: &generator)
        let targets = try rgdm.targets(parameters: parameters, batch: data.batch(at: [0, 3, 5]), using: &generator)
        #expect(targets.weights.count == 4 && targets.rewards.allSatisfy { $0.count == 3 })
        let (loss, gradient) = rgdm.lossAndGradient(parameters: parameters, targets: targets)
        // Parts of the batch (the ranks' of a job), each weighted by its share, add up to the whole.
        for cut in [1, 2] {
            let first = rgdm.lossAndGradient(parameters: parameters, targets: targets, part: 0 ..< cut)
            let second = rgdm.lossAndGradient(parameters: parameters, targets: targets, part: cut ..< 3)
            #expect(abs(first.loss + second.loss - loss) <= 1e-6 * abs(loss), "cut at \(cut)")
            expectClose(zip(first.gradient, second.gradient).map { $0 + $1 }, gradient, tolerance: 1e-6, relative: 1e-5)
        }
        let h: Float = 1e-2
        for k in parameters.indices {
            var plus = parameters, minus = parameters
            plus[k] += h
            minus[k] -= h
            let numeric = (rgdm.lossAndGradient(parameters: plus, targets: targets).loss
                - rgdm.lossAndGradient(parameters: minus, targets: targets).loss) / Double(2 * h)
            // The loss is quadratic in θ for this denoiser: central differences are exact up to Float rounding.
            #expect(abs(Double(gradient[k]) - numeric) <= 2e-3 * (1 + abs(numeric)), "parameter \(k): \(gradient[k]) vs \(numeric)")
        }
    }

    /// Gaussian data N(0, I), a model learnable in its mean, r = aᵀx̂_0: the fine-tuned mean settles
    /// where the pay-off term's pull balances the data term's,
    ///   m* = a · κ_K ρ² / (λ τ) · mean_{t ≥ 1}[σ_t α_t α_s q_t² / c_t] / mean_t[σ_t² α_t²],
    /// κ_K = 1 − 1/K (the bias of K self-normalised draws of a small tilt, by Stein's lemma).
    @Test func aLinearRewardSettlesAGaussianModelAtItsEquilibrium() throws {
        let width = 2, a = [0.3, -0.2]
        let model = try SampleLevelRGDMTests.model()
        let schedule = model.process.schedule, timesteps = schedule.timesteps
        let settings = StepLevelRGDM<GaussianMeanDenoiser>.Settings(temperature: 0.1, explorations: 16, radius: 0.5,
                                                                    dataWeight: 1, batchSize: 96)
        var generator = Xoshiro256StarStar(seed: 4)
        let n = 4000
        let features = (0 ..< n * width).map { _ in Float(generator.nextStandardNormal()) }
        let data = InMemoryGraphs(positions: [[Float]](repeating: [0, 0, 0], count: n),
                                  features: (0 ..< n).map { Array(features[($0 * width) ..< (($0 + 1) * width)]) })
        var rgdm = try StepLevelRGDM(model: model, settings: settings, data: data, seed: 2) { graphs in
            (0 ..< graphs.layout.graphCount).map { g in (0 ..< width).reduce(0.0) { $0 + a[$1] * Double(graphs.features[g * width + $1]) } }
        }
        let trainer = try SampleLevelRGDMTests.trainer(model)
        var average = [0.0, 0.0]
        for step in 0 ..< 1200 {
            try rgdm.step(trainer)
            if step >= 800 { for j in 0 ..< width { average[j] += Double(trainer.state.parameters[j]) / 400 } }
        }
        var pull = 0.0, anchor = 0.0
        for t in 1 ... timesteps {
            let (alphaTS, sigma2TS) = schedule.transition(from: t - 1, to: t)
            let sigmaT = schedule.sigma(at: t), c = sigma2TS / alphaTS / sigmaT
            let q = sigma2TS.squareRoot() * schedule.sigma(at: t - 1) / sigmaT
            pull += sigmaT * schedule.alpha(at: t) * schedule.alpha(at: t - 1) * q * q / c / Double(timesteps)
        }
        for t in 0 ... timesteps { anchor += pow(schedule.sigma(at: t) * schedule.alpha(at: t), 2) / Double(timesteps + 1) }
        let kappa = 1 - 1 / Double(settings.explorations)
        let factor = kappa * settings.radius * settings.radius / (settings.dataWeight * settings.temperature) * pull / anchor
        for j in 0 ..< width {
            let expected = a[j] * factor
            #expect(abs(average[j] - expected) <= 0.02 + 0.1 * abs(expected), "component \(j): \(average[j]) vs \(expected)")
        }
    }

    @Test func settingsOutOfRangeAreRefusedByName() throws {
        let model = try SampleLevelRGDMTests.model()
        let data = InMemoryGraphs.random(count: 2, width: 2, seed: 1)
        for (settings, text) in [
            (StepLevelRGDM<GaussianMeanDenoiser>.Settings(temperature: 0, batchSize: 1), "temperature τ must be > 0"),
            (.init(temperature: 1, explorations: 0, batchSize: 1), "explorations K must be at least 1"),
            (.init(temperature: 1, radius: -1, batchSize: 1), "radius ρ must be > 0"),
            (.init(temperature: 1, batchSize: 1, minimumTimestep: 0), "levels trained must lie in 1 … 100"),
        ] {
            #expect { try StepLevelRGDM(model: model, settings: settings, data: data, seed: 1) { _ in [] } } throws: { error in
                guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
                return reason.contains(text)
            }
        }
    }
}
