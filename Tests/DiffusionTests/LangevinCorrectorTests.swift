import Foundation
import Testing
@testable import Diffusion

@Suite struct LangevinCorrectorTests {
    @Test func repeatsEachCorrectedLevelBeforeItsPredictorStep() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 10)
        let full = PredictorCorrectorSampler(predictor: AncestralSampler(process: process),
                                             corrector: try LangevinCorrector(steps: 2, levels: 3))
        #expect(full.timesteps == [10, 9, 8, 7, 6, 5, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 0])
        let strided = PredictorCorrectorSampler(predictor: try AncestralSampler(process: process, steps: 5),
                                                corrector: try LangevinCorrector(levels: 4))
        #expect(strided.timesteps == [10, 8, 6, 4, 4, 2, 2, 0])
        let band = PredictorCorrectorSampler(predictor: AncestralSampler(process: process),
                                             corrector: try LangevinCorrector(steps: 2, levels: 6, lowestLevel: 4))
        #expect(band.timesteps == [10, 9, 8, 7, 6, 6, 6, 5, 5, 5, 4, 4, 4, 3, 2, 1, 0])
    }

    /// The sampler's samples, bit for bit, as the ancestral sampler drew them when it
    /// made the corrector moves itself (`AncestralSampler(process:steps:corrector:)`):
    /// the values below were printed by that code (the Gaussian oracle, seed 11, graphs
    /// of 2 and 3 nodes) as `Float.bitPattern`s, with the generator's next word.
    @Test(arguments: [false, true])
    func drawsWhatTheAncestralSamplerWithCorrectorDrew(strided: Bool) throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 30, featureWidth: 2, divisor: SamplerTests.divisor)
        let sampler = strided
            ? PredictorCorrectorSampler(predictor: try AncestralSampler(process: process, steps: 10),
                                        corrector: try LangevinCorrector(levels: 4, snr: 0.15))
            : PredictorCorrectorSampler(predictor: AncestralSampler(process: process),
                                        corrector: try LangevinCorrector(steps: 2, levels: 5))
        var generator = Xoshiro256StarStar(seed: 11)
        let result = sampler.generate(denoiser: SamplerTests.oracle(process), parameters: [], nodeCounts: [2, 3],
                                      using: &generator)
        let recorded: (positions: [UInt32], features: [UInt32], next: UInt64) = strided
            ? ([0x3eb1ed52, 0xbd91f115, 0x3eeafaf3, 0xbeb1ed52, 0x3d91f115, 0xbeeafaf3, 0xbf091a3a, 0xbf3b82a6,
                0xbebf1420, 0x3f1c32ce, 0x3f2e8323, 0x3f40115b, 0xbd98c4a5, 0x3d4ff830, 0xbec10e96],
               [0x3fd1ed59, 0xbe8b1da1, 0x3f8698d6, 0xbf906c41, 0x3fb94c54, 0xbf2884a6, 0x3fac07b3, 0xbfa69997,
                0x3fa5711b, 0xbf3e5201],
               11_227_040_646_097_945_415)
            : ([0xbe40eb45, 0x3e36297f, 0xbe622c54, 0x3e40eb45, 0xbe36297f, 0x3e622c54, 0xbf0fa6a7, 0xbee29178,
                0x3ea61197, 0xbe651ec7, 0x3eb04000, 0xbed92066, 0x3f48ee58, 0x3dc945e2, 0x3dcc3b3b],
               [0x3ff94bef, 0xbf17d15f, 0x3f781b2c, 0xbf8caf2c, 0x3f9edb86, 0xbef893b2, 0x3fe7a7ee, 0xbec368fa,
                0x3fa0d660, 0xbf4258e8],
               4_856_391_854_589_701_941)
        #expect(result.positions.map(\.bitPattern) == recorded.positions)
        #expect(result.features.map(\.bitPattern) == recorded.features)
        #expect(generator.next() == recorded.next)
    }

    @Test func correctorMovesChangeEDMsChain() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 30, featureWidth: 2)
        let denoiser = LinearTestDenoiser(featureWidth: 2)
        var initial = Xoshiro256StarStar(seed: 3)
        let parameters = denoiser.initialParameters(using: &initial)
        func run(_ sampler: any Sampler) -> SampleResult {
            var generator = Xoshiro256StarStar(seed: 11)
            return sampler.generate(denoiser: denoiser, parameters: parameters, nodeCounts: [3, 5], using: &generator)
        }
        let edm = run(AncestralSampler(process: process))
        let corrected = run(PredictorCorrectorSampler(predictor: AncestralSampler(process: process),
                                                      corrector: try LangevinCorrector(levels: 5)))
        #expect(edm.positions != corrected.positions)
    }

    @Test func predictorCorrectorWithExactEpsilonRecoversGaussianData() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 200, featureWidth: 2, divisor: SamplerTests.divisor)
        let sampler = PredictorCorrectorSampler(predictor: AncestralSampler(process: process),
                                                corrector: try LangevinCorrector(steps: 3, levels: 200, snr: 0.15))
        var generator = Xoshiro256StarStar(seed: 31)
        let result = sampler.generate(denoiser: SamplerTests.oracle(process), parameters: [],
                                      nodeCounts: [Int](repeating: 4, count: 500), using: &generator)
        SamplerTests.checkMoments(result, nodes: 4)
    }

    /// Moves at one level t with the exact score: from a marginal `spread` times
    /// too wide (or narrow) and shifted, the features relax to p_t = N(α_t μ,
    /// α_t² s² + σ_t²), whose variance the moves keep up to the step's bias
    /// 1 / (1 − δ / 2v) with δ = 2r²σ_t²; p_t itself stays put (spread 1).
    @Test(arguments: [0.5, 1.0, 2.0])
    func movesPullAWrongMarginalBackToTheModels(spread: Double) throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 2, divisor: SamplerTests.divisor)
        let oracle = SamplerTests.oracle(process)
        let corrector = try LangevinCorrector(levels: 100, snr: 0.1)
        let t = 40
        let a = process.schedule.alpha(at: t), s = process.schedule.sigma(at: t)
        let scale = Double(SamplerTests.featureScale) / Double(SamplerTests.divisor)
        let variance = a * a * scale * scale + s * s
        let means = SamplerTests.featureMean.map { a * Double($0 / SamplerTests.divisor) }
        let layout = GraphLayout(nodeCounts: [Int](repeating: 4, count: 1000))
        var generator = Xoshiro256StarStar(seed: 5)
        var z = process.sampleNoise(layout: layout, using: &generator)
        for k in z.features.indices {
            let shift = spread == 1 ? 0 : 0.5 * variance.squareRoot()
            z.features[k] = Float(means[k % 2] + shift + spread * variance.squareRoot() * Double(z.features[k]))
        }
        let time = [Float](repeating: Float(t) / 100, count: layout.graphCount)
        var noise = GraphTensors()
        for _ in 0 ..< 1500 {
            let prediction = oracle.predict(DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                                          time: time, condition: []), parameters: [])
            process.sampleNoise(layout: layout, into: &noise, using: &generator)
            corrector.move(&z, prediction: prediction, sigma: s, noise: noise)
        }
        let stationary = variance / (1 - corrector.snr * corrector.snr * s * s / variance)
        for j in 0 ..< 2 {
            let column = stride(from: j, to: z.features.count, by: 2).map { Double(z.features[$0]) }
            let mean = TrainingTestSupport.mean(column), v = TrainingTestSupport.variance(column)
            #expect(abs(mean - means[j]) < 0.08 * variance.squareRoot(), "feature \(j) mean \(mean) vs \(means[j])")
            #expect(abs(v - stationary) < 0.08 * stationary, "feature \(j) variance \(v) vs \(stationary)")
        }
    }

    @Test func refusesEmptyOrUnboundedSettings() {
        #expect(throws: DiffusionError.invalidConfiguration("corrector steps must be ≥ 1, got 0")) { try LangevinCorrector(steps: 0, levels: 10) }
        #expect(throws: DiffusionError.invalidConfiguration("corrector levels must be ≥ 1, got 0")) { try LangevinCorrector(levels: 0) }
        #expect(throws: DiffusionError.invalidConfiguration("corrector snr must be > 0, got 0.0")) { try LangevinCorrector(levels: 10, snr: 0) }
        #expect(throws: DiffusionError.invalidConfiguration("the corrector's lowest level must be in 1 … 10, got 11")) {
            try LangevinCorrector(levels: 10, lowestLevel: 11)
        }
        #expect(throws: DiffusionError.invalidConfiguration("the corrector's lowest level must be in 1 … 10, got 0")) {
            try LangevinCorrector(levels: 10, lowestLevel: 0)
        }
        #expect(throws: DiffusionError.invalidConfiguration("corrector snr must be > 0, got nan")) { try LangevinCorrector(levels: 10, snr: .nan) }
    }
}
