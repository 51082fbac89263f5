import Foundation
import Testing
@testable import Diffusion

/// The latent prior of a latent point model as a model of its own (`LatentPriorModel`): what
/// reward fine-tuning of shapes trains.
@Suite struct LatentPriorModelTests {
    static func pointModel(latentWidth: Int = 2, priorWidths: [Int] = [8], timesteps: Int = 20, threads: Int = 1) throws -> LatentPointModel {
        try LatentPointModel(configuration: LatentPointConfiguration(
            latentWidth: latentWidth, encoderPointWidths: [6, 8], encoderHeadWidths: [5], decoderWidths: [7, 6],
            priorWidths: priorWidths, decoderPointsPerStep: nil, klWeight: 0.1),
            schedule: PolynomialSchedule(timesteps: timesteps, power: 2, precision: 1e-5), threads: threads)
    }

    /// A trainer of `view`'s prior fitted to N(0, I) latents of width `width` (400 steps of 256,
    /// AdamW at 3e-3 without weight decay or EMA): the base that reward fine-tuning tests start from.
    static func priorFittedToStandardNormal(_ view: LatentPriorModel, width: Int) throws -> Trainer {
        let fit = try Trainer(model: view, configuration: TrainerConfiguration(
            optimizer: AdamWConfiguration(learningRate: 0.003, weightDecay: 0), emaDecay: 0, clipsGradients: false,
            batchSize: 256, seed: 3), datasetSize: 1)
        var data = Xoshiro256StarStar(seed: 8)
        for _ in 0 ..< 400 { try fit.step(on: gaussianLatents(256, width: width, using: &data)) }
        return fit
    }

    /// `count` latents N(0, I) of width `width` as one-node graphs.
    static func gaussianLatents(_ count: Int, width: Int, using generator: inout Xoshiro256StarStar) -> GraphBatch {
        var features = [Float](repeating: 0, count: count * width)
        generator.fillStandardNormal(&features)
        return GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: 1, count: count)),
                          positions: [Float](repeating: 0, count: 3 * count), features: features)
    }

    static func mean(_ result: SampleResult, component j: Int, width: Int) -> Double {
        let n = result.layout.graphCount
        return (0 ..< n).reduce(0.0) { $0 + Double(result.features[$1 * width + j]) } / Double(n)
    }

    /// Training through the view moves the prior alone: under AdamW without weight decay and
    /// with an EMA, encoder and decoder keep the base weights bit for bit, in the parameters and
    /// in the average alike; the prior's do move.
    @Test func trainingMovesThePriorAloneAndKeepsTheDecoderExactly() throws {
        let base = try Self.pointModel()
        let view = LatentPriorModel(base)
        #expect(view.parameterCount == base.parameterCount && view.featureWidth == 2 && view.trainedRange == base.priorRange)
        let trainer = try Trainer(model: view, configuration: TrainerConfiguration(
            optimizer: AdamWConfiguration(learningRate: 0.01, weightDecay: 0), emaDecay: 0.9, batchSize: 8, seed: 1), datasetSize: 1)
        let start = trainer.state.parameters
        var generator = Xoshiro256StarStar(seed: 4)
        for _ in 0 ..< 5 { try trainer.step(on: Self.gaussianLatents(8, width: 2, using: &generator)) }
        for weights in [trainer.state.parameters, trainer.samplingParameters] {
            #expect(Array(weights[base.encoderRange]) == Array(start[base.encoderRange]))
            #expect(Array(weights[base.decoderRange]) == Array(start[base.decoderRange]))
            #expect(Array(weights[base.priorRange]) != Array(start[base.priorRange]))
        }
    }

    @Test func aBatchOfCloudsIsNotALatentBatch() throws {
        let view = LatentPriorModel(try Self.pointModel())
        let clouds = GraphBatch(layout: GraphLayout(nodeCounts: [3]), positions: [Float](repeating: 0, count: 9), features: [])
        #expect(throws: DiffusionError.self) { try view.validate(clouds) }
        let twoNodes = GraphBatch(layout: GraphLayout(nodeCounts: [2]), positions: [Float](repeating: 0, count: 6),
                                  features: [0, 0, 0, 0])
        #expect(throws: DiffusionError.self) { try view.validate(twoNodes) }
    }

    /// Sampling the view gives the prior's latents, and decoding them gives the clouds the whole
    /// model's sampler gives for the same latents, whatever the thread count.
    @Test func sampledLatentsDecodeToCloudsIndependentlyOfThreads() throws {
        let sampling = SamplingSettings(kind: .ddim, steps: 5)
        var clouds: [[Float]] = []
        for threads in [1, 2] {
            let base = try Self.pointModel(threads: threads)
            var init_ = Xoshiro256StarStar(seed: 2)
            let parameters = base.initialParameters(using: &init_)
            let view = LatentPriorModel(base)
            var generator = Xoshiro256StarStar(seed: 3)
            let latents = try view.sample(count: 5, batchSize: 2, nodeCounts: NodeCountDistribution(observedCounts: [1]),
                                          condition: [], parameters: parameters, sampling: sampling, using: &generator,
                                          progress: { _ in })
            #expect(latents.map(\.layout.graphCount) == [2, 2, 1] && latents.allSatisfy { $0.features.count == 2 * $0.layout.graphCount })
            let decoded = try view.decode(latents, pointCount: 4, batchSize: 2, parameters: parameters, sampling: sampling,
                                          using: &generator)
            #expect(decoded.map(\.layout.nodeCounts) == [[4, 4], [4, 4], [4]])
            clouds.append(decoded.flatMap(\.positions))
        }
        #expect(clouds[0] == clouds[1])
    }

    /// The toy problem with a known optimum, through the shape path: a prior fitted to latents
    /// N(0, I), then sample-level RGDM with r = aᵀz over pools drawn from the view. The pay-off
    /// optimum N(0, I)·exp(aᵀz/τ) is N(a/τ, I): the fine-tuned prior's mean moves by a/τ.
    @Test func linearRewardMovesTheLatentPriorToThePayoffOptimum() throws {
        let width = 2, a = [0.3, -0.2], tau = 0.5
        let base = try Self.pointModel(latentWidth: width, priorWidths: [64, 64], timesteps: 50)
        let view = LatentPriorModel(base)
        let trainer = try Trainer(model: view, configuration: TrainerConfiguration(
            optimizer: AdamWConfiguration(learningRate: 0.003, weightDecay: 0), emaDecay: 0.95, clipsGradients: false,
            batchSize: 256, seed: 3), datasetSize: 1)
        var data = Xoshiro256StarStar(seed: 8)
        for _ in 0 ..< 1000 { try trainer.step(on: Self.gaussianLatents(256, width: width, using: &data)) }
        // The ancestral chain on all T levels keeps the fitted prior's unit variance (DDIM's
        // deterministic chain inflates this MLP's to about 1.5).
        let chain = SamplingSettings(kind: .ancestral)
        let sizes = try NodeCountDistribution(observedCounts: [1])
        func sampleMeans() throws -> [Double] {
            var generator = Xoshiro256StarStar(seed: 99)
            let result = try view.sample(count: 4000, batchSize: 4000, nodeCounts: sizes, condition: [],
                                         parameters: trainer.samplingParameters, sampling: chain, using: &generator,
                                         progress: { _ in })[0]
            return (0 ..< width).map { Self.mean(result, component: $0, width: width) }
        }
        let before = try sampleMeans()
        #expect(before.allSatisfy { abs($0) < 0.1 }, "the fitted prior's mean \(before)")

        let settings = SampleLevelRGDM.Settings(temperature: tau, rounds: 3, poolSize: 3000, stepsPerRound: 300, batchSize: 512)
        var rgdm = try SampleLevelRGDM(
            settings: settings, seed: 5, nodeCounts: sizes, data: nil,
            draw: { parameters, sizes, count, generator in
                try view.sample(count: count, batchSize: count, nodeCounts: sizes, condition: [], parameters: parameters,
                                sampling: chain, using: &generator, progress: { _ in })
            },
            score: { samples in
                let latents = samples[0]
                let rewards = (0 ..< latents.layout.graphCount).map { g in
                    (0 ..< width).reduce(0.0) { $0 + a[$1] * Double(latents.features[g * width + $1]) }
                }
                return SampleLevelRGDM.Scored(rewards: rewards, batch: GraphBatch(layout: latents.layout, positions: latents.positions,
                                                                                   features: latents.features))
            })
        for _ in 0 ..< settings.totalSteps { _ = try rgdm.step(trainer) }
        let after = try sampleMeans()
        for j in 0 ..< width {
            let shift = after[j] - before[j], target = a[j] / tau
            // Sampling error of each mean ≈ 0.016; each round's fit adds its pool's weighted-mean
            // error and the optimiser's noise, three rounds over, and the MLP's fit of the tilt.
            #expect(abs(shift - target) < 0.12, "component \(j): shift \(shift), pay-off optimum's \(target)")
        }
    }
}
