import Foundation
import Testing
@testable import Diffusion

/// The exact ε-predictor family of unit-variance Gaussian features N(m, I) on
/// one-node graphs, learnable in its mean: ε̂_h = σ_t (z_h − α_t m), θ = m.
final class GaussianMeanDenoiser: Denoiser {
    let featureWidth: Int
    let conditionWidth = 0
    let symmetry = Symmetry.euclidean
    let schedule: any NoiseSchedule

    init(featureWidth: Int, schedule: any NoiseSchedule) {
        self.featureWidth = featureWidth
        self.schedule = schedule
    }

    var parameterCount: Int { featureWidth }

    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        [Float](repeating: 0, count: featureWidth)
    }

    private func coefficients(_ time: Float) -> (alpha: Float, sigma: Float) {
        let t = Int((Double(time) * Double(schedule.timesteps)).rounded())
        return (Float(schedule.alpha(at: t)), Float(schedule.sigma(at: t)))
    }

    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        let f = featureWidth
        var out = DenoiserOutput(positions: [Float](repeating: 0, count: input.positions.count), features: input.features)
        for g in 0 ..< input.layout.graphCount {
            let (a, s) = coefficients(input.time[g])
            for i in input.layout.nodes(ofGraph: g) {
                for j in 0 ..< f { out.features[i * f + j] = s * (input.features[i * f + j] - a * parameters[j]) }
            }
        }
        return out
    }

    func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                         loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)) -> Double {
        let f = featureWidth
        let (value, d) = loss(predict(input, parameters: parameters))
        for g in 0 ..< input.layout.graphCount {
            let (a, s) = coefficients(input.time[g])
            for i in input.layout.nodes(ofGraph: g) {
                for j in 0 ..< f { gradient[j] -= s * a * d.features[i * f + j] }
            }
        }
        return value
    }
}

@Suite struct SampleLevelRGDMTests {
    static let width = 2
    static let singleNodes = try! NodeCountDistribution(observedCounts: [1])

    static func model() throws -> GraphDiffusionModel<GaussianMeanDenoiser> {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: width)
        return try GraphDiffusionModel(network: GaussianMeanDenoiser(featureWidth: width, schedule: process.schedule),
                                       process: process)
    }

    /// DDIM's deterministic chain in 100 steps: for this model family it keeps the data's unit
    /// variance (0.994; the 100-step ancestral chain gives 0.937, which would shrink each
    /// round's tilt by 6 %).
    static let chain = SamplingSettings(kind: .ddim, steps: 100)

    /// Draws pools by `chain`; scores r = Σ_nodes aᵀh + b·N.
    static func rgdm(_ model: GraphDiffusionModel<GaussianMeanDenoiser>, settings: SampleLevelRGDM.Settings,
                     reward a: [Double], sizeReward: Double = 0, nodeCounts: NodeCountDistribution = singleNodes,
                     runState: String? = nil,
                     onRound: @escaping (SampleLevelRGDM.Round) -> Void = { _ in }) throws -> SampleLevelRGDM {
        try SampleLevelRGDM(
            settings: settings, seed: 5, nodeCounts: nodeCounts, data: nil, runState: runState,
            draw: { parameters, nodeCounts, count, generator in
                try model.sample(count: count, batchSize: count, nodeCounts: nodeCounts, condition: [], parameters: parameters,
                                 sampling: chain, using: &generator, progress: { _ in })
            },
            score: { samples in
                let batch = samples.reduce(GraphBatch(layout: GraphLayout(nodeCounts: []), positions: [], features: [])) {
                    $0.appending(GraphBatch(layout: $1.layout, positions: $1.positions, features: $1.features))
                }
                let rewards = (0 ..< batch.layout.graphCount).map { g in
                    batch.layout.nodes(ofGraph: g).reduce(0.0) { sum, i in
                        (0 ..< width).reduce(sum) { $0 + a[$1] * Double(batch.features[i * width + $1]) }
                    } + sizeReward * Double(batch.layout.nodeCounts[g])
                }
                return SampleLevelRGDM.Scored(rewards: rewards, batch: batch)
            },
            onRound: onRound)
    }

    static func trainer(_ model: GraphDiffusionModel<GaussianMeanDenoiser>) throws -> Trainer {
        try Trainer(model: model, configuration: TrainerConfiguration(
            optimizer: AdamWConfiguration(learningRate: 0.005), emaDecay: 0.95, clipsGradients: false, batchSize: 1, seed: 3),
            datasetSize: 1)
    }

    /// Data N(0, I) and r = aᵀx: the pay-off optimum p ∝ N(0, I)·exp(aᵀx/τ) is N(a/τ, I).
    @Test func linearRewardMovesAGaussianModelToThePayoffOptimum() throws {
        let model = try Self.model()
        let a = [0.3, -0.2], tau = 0.5
        let settings = SampleLevelRGDM.Settings(temperature: tau, rounds: 3, poolSize: 4000, stepsPerRound: 400, batchSize: 512)
        var rounds: [SampleLevelRGDM.Round] = []
        var source = try Self.rgdm(model, settings: settings, reward: a) { rounds.append($0) }
        let trainer = try Self.trainer(model)
        for _ in 0 ..< settings.totalSteps { try source.step(trainer) }
        #expect(rounds.map(\.index) == [1, 2, 3] && source.state.round == 3)

        var generator = Xoshiro256StarStar(seed: 99)
        let samples = try model.sample(count: 4000, batchSize: 4000, nodeCounts: Self.singleNodes, condition: [],
                                       parameters: trainer.samplingParameters, sampling: Self.chain,
                                       using: &generator, progress: { _ in })[0]
        for j in 0 ..< Self.width {
            let values = (0 ..< 4000).map { Double(samples.features[$0 * Self.width + j]) }
            let mean = values.reduce(0, +) / 4000
            let target = a[j] / tau
            // Sampling error of the mean is 1/√4000 ≈ 0.016; each round's fit carries its pool's
            // weighted-mean error (≈ 0.016) and the optimiser's noise (≈ 0.02), three rounds over.
            #expect(abs(mean - target) < 0.1, "component \(j): sample mean \(mean), pay-off optimum \(target)")
        }
        // The mean moved by about a/(Rτ) per round: the first round's pool is the data's.
        let firstMean = rounds[0].rewards.reduce(0, +) / Double(rounds[0].rewards.count)
        #expect(abs(firstMean) < 0.05, "first pool's mean reward \(firstMean)")
    }

    /// RAFT keeps the best quarter of each pool: for N(0, I) and r = aᵀx, one round moves the
    /// mean along u = a/|a| by E[uᵀx | uᵀx above its 75th percentile] = φ(z)/0.25, z = Φ⁻¹(0.75).
    @Test func raftMovesTheMeanToTheTopFractionsMean() throws {
        let model = try Self.model()
        let a = [0.3, -0.2]
        let settings = SampleLevelRGDM.Settings(selection: .top(fraction: 0.25), temperature: 1, rounds: 1, poolSize: 4000,
                                                stepsPerRound: 400, batchSize: 512)
        var source = try Self.rgdm(model, settings: settings, reward: a)
        let trainer = try Self.trainer(model)
        for _ in 0 ..< settings.totalSteps { try source.step(trainer) }
        let norm = (a[0] * a[0] + a[1] * a[1]).squareRoot(), z = 0.6744897501960817
        let shift = exp(-z * z / 2) / (2 * Double.pi).squareRoot() / 0.25
        for j in 0 ..< Self.width {
            let expected = a[j] / norm * shift
            #expect(abs(Double(trainer.state.parameters[j]) - expected) < 0.08,
                    "component \(j): mean \(trainer.state.parameters[j]), top quarter's mean \(expected)")
        }
    }

    /// Graphs of 1 or 2 nodes, equally likely, and r = N/2: the pay-off optimum's sizes are
    /// p(N) ∝ ½·exp(N/(2τ)), so with τ = 1, p(2) = e^½ / (e^½ + 1) ≈ 0.6225, reached over the rounds.
    @Test func sizeTiltReachesThePayoffOptimumsSizes() throws {
        let model = try Self.model()
        let sizes = try NodeCountDistribution(histogram: [1: 1, 2: 1])
        let settings = SampleLevelRGDM.Settings(temperature: 1, rounds: 3, poolSize: 4000, stepsPerRound: 1, batchSize: 8,
                                                nodeCountPseudocount: 0)
        var source = try Self.rgdm(model, settings: settings, reward: [0, 0], sizeReward: 0.5, nodeCounts: sizes)
        #expect(source.nodeCounts == sizes)
        let trainer = try Self.trainer(model)
        for _ in 0 ..< settings.totalSteps { try source.step(trainer) }
        let tilted = try #require(source.nodeCounts)
        let expected = exp(0.5) / (exp(0.5) + 1)
        // Three rounds, each a ratio of two means over ~2,000 graphs a size: about ±0.01 in all.
        #expect(tilted.counts == [1, 2] && abs(tilted.probabilities[1] - expected) < 0.03,
                "p(2) = \(tilted.probabilities[1]), pay-off optimum \(expected)")
        // The base model's sizes when the tilt is off.
        var fixed = settings
        fixed.nodeCountPseudocount = nil
        #expect(try Self.rgdm(model, settings: fixed, reward: [0, 0], nodeCounts: sizes).nodeCounts == nil)
    }

    @Test func aResumedRunContinuesExactly() throws {
        let a = [0.3, -0.2]
        let settings = SampleLevelRGDM.Settings(temperature: 1, rounds: 2, poolSize: 40, stepsPerRound: 3, batchSize: 8,
                                                replaySize: 5, nodeCountPseudocount: 2)
        let straightModel = try Self.model()
        var straight = try Self.rgdm(straightModel, settings: settings, reward: a)
        let straightTrainer = try Self.trainer(straightModel)
        let straightLosses = try (0 ..< 6).map { _ in try straight.step(straightTrainer).loss }

        let firstModel = try Self.model()
        var first = try Self.rgdm(firstModel, settings: settings, reward: a)
        let firstTrainer = try Self.trainer(firstModel)
        var losses = try (0 ..< 4).map { _ in try first.step(firstTrainer).loss }   // stops inside round 2
        var checkpoint = firstTrainer.checkpoint(modelConfiguration: "{}")
        checkpoint.runState = try first.runState()
        let decoded = try Checkpoint(encoded: checkpoint.encoded(), path: "resume")
        let resumedModel = try Self.model()
        let resumedTrainer = try Trainer(model: resumedModel, resumingFrom: decoded)
        var resumed = try Self.rgdm(resumedModel, settings: settings, reward: a, runState: decoded.runState)
        losses += try (4 ..< 6).map { _ in try resumed.step(resumedTrainer).loss }
        #expect(losses == straightLosses)
        #expect(resumedTrainer.state.parameters == straightTrainer.state.parameters)
        #expect(resumed.nodeCounts == straight.nodeCounts)
        // Other settings do not resume this run.
        var other = settings
        other.temperature = 2
        #expect { try Self.rgdm(resumedModel, settings: other, reward: a, runState: decoded.runState) } throws: { error in
            guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
            return reason.contains("other settings")
        }
    }

    @Test func settingsOutOfRangeAreRefusedByName() {
        let good = SampleLevelRGDM.Settings(temperature: 1, rounds: 1, poolSize: 1, stepsPerRound: 1, batchSize: 1)
        for (change, text) in [({ (s: inout SampleLevelRGDM.Settings) in s.temperature = 0 }, "temperature τ must be > 0"),
                               ({ $0.temperature = .nan }, "temperature τ must be > 0"),
                               ({ $0.rounds = 0 }, "rounds must be at least 1"),
                               ({ $0.dataWeight = -1 }, "data weight λ")] as [((inout SampleLevelRGDM.Settings) -> Void, String)] {
            var settings = good
            change(&settings)
            #expect { try settings.validate() } throws: { error in
                guard case let DiffusionError.invalidConfiguration(reason) = error else { return false }
                return reason.contains(text)
            }
        }
    }
}
