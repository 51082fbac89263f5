import Foundation
import Testing
@testable import Diffusion

@Suite struct SamplerTests {
    // Data: positions N(0, 0.8²) projected to zero CoM; features N(μ, 0.5²)
    // in data units, scaled by 1/2 before diffusion.
    static let positionScale = 0.8
    static let featureMean: [Float] = [1.5, -0.75]
    static let featureScale = 0.5
    static let divisor: Float = 2

    private static func oracle(_ process: DiffusionProcess) -> GaussianOracleDenoiser {
        GaussianOracleDenoiser(schedule: process.schedule, featureMean: featureMean.map { $0 / divisor },
                               positionScale: positionScale, featureScale: featureScale / Double(divisor))
    }

    /// Checks samples against the data distribution: zero CoM, position
    /// variance s²(1 − 1/n), feature mean μ and std s per column.
    private static func checkMoments(_ result: SampleResult, nodes: Int) {
        #expect(CenterOfMass.means(of: result.positions, layout: result.layout).allSatisfy { abs($0) < 1e-4 })
        let positions = result.positions.map(Double.init)
        let expectedVariance = positionScale * positionScale * (1 - 1 / Double(nodes))
        let variance = positions.reduce(0) { $0 + $1 * $1 } / Double(positions.count)
        #expect(abs(variance - expectedVariance) < 0.1 * expectedVariance, "position variance \(variance) vs \(expectedVariance)")
        for j in 0 ..< featureMean.count {
            let column = stride(from: j, to: result.features.count, by: featureMean.count).map { Double(result.features[$0]) }
            let mean = TrainingTestSupport.mean(column), sd = TrainingTestSupport.variance(column).squareRoot()
            #expect(abs(mean - Double(featureMean[j])) < 0.1 * featureScale, "feature \(j) mean \(mean)")
            #expect(abs(sd - featureScale) < 0.1 * featureScale, "feature \(j) std \(sd)")
        }
    }

    @Test func ddimWithExactEpsilonRecoversGaussianData() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 1000, featureWidth: 2, divisor: Self.divisor)
        let sampler = try DDIMSampler(process: process, steps: 50)
        #expect(sampler.timesteps.count == 51 && sampler.timesteps.first == 1000 && sampler.timesteps.last == 0)
        var generator = Xoshiro256StarStar(seed: 2024)
        let result = sampler.generate(denoiser: Self.oracle(process), parameters: [],
                                      nodeCounts: [Int](repeating: 5, count: 600), using: &generator)
        Self.checkMoments(result, nodes: 5)
    }

    @Test func ancestralWithExactEpsilonRecoversGaussianData() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 200, featureWidth: 2, divisor: Self.divisor)
        let sampler = AncestralSampler(process: process)
        #expect(sampler.timesteps == Array((0 ... 200).reversed()))
        var generator = Xoshiro256StarStar(seed: 99)
        let result = sampler.generate(denoiser: Self.oracle(process), parameters: [],
                                      nodeCounts: [Int](repeating: 4, count: 500), using: &generator)
        Self.checkMoments(result, nodes: 4)
    }

    @Test func ddimIsDeterministicGivenTheInitialLatent() throws {
        // DDIM draws only z_T: the same z_T gives the same samples however the
        // generator continues afterwards.
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 2)
        let sampler = try DDIMSampler(process: process, steps: 10)
        let denoiser = LinearTestDenoiser(featureWidth: 2)
        var init0 = Xoshiro256StarStar(seed: 5)
        let parameters = denoiser.initialParameters(using: &init0)
        var a = Xoshiro256StarStar(seed: 8), b = Xoshiro256StarStar(seed: 8)
        let first = sampler.generate(denoiser: denoiser, parameters: parameters, nodeCounts: [3, 6], using: &a)
        let second = sampler.generate(denoiser: denoiser, parameters: parameters, nodeCounts: [3, 6], using: &b)
        #expect(first.positions == second.positions && first.features == second.features)
        #expect(a == b)
    }

    @Test(arguments: [false, true])
    func sameSeedSameSamples(ancestral: Bool) throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 50, featureWidth: 2)
        let sampler: any Sampler = ancestral ? AncestralSampler(process: process) : try DDIMSampler(process: process, steps: 7)
        let denoiser = LinearTestDenoiser(featureWidth: 2)
        var initial = Xoshiro256StarStar(seed: 1)
        let parameters = denoiser.initialParameters(using: &initial)
        func run(seed: UInt64) -> SampleResult {
            var generator = Xoshiro256StarStar(seed: seed)
            return sampler.generate(denoiser: denoiser, parameters: parameters, nodeCounts: [4, 2, 7],
                                    trajectoryStride: 5, using: &generator)
        }
        let first = run(seed: 77), again = run(seed: 77), other = run(seed: 78)
        #expect(first.positions == again.positions && first.features == again.features)
        #expect(first.positions != other.positions)
        #expect(first.trajectory.count == (sampler.timesteps.count + 4) / 5)
        #expect(first.trajectory.first?.timestep == 50)
        #expect(zip(first.trajectory, again.trajectory).allSatisfy { $0.state == $1.state })
    }

    @Test func addNoiseMatchesTheForwardProcess() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 1)
        let sampler = AncestralSampler(process: process)
        let layout = GraphLayout(nodeCounts: [2, 1])
        let x = GraphTensors(positions: [1, 2, 3, -1, -2, -3, 0, 0, 0], features: [1, 2, 3])
        let noise = GraphTensors(positions: [0.5, 0, 0, -0.5, 0, 0, 0, 0, 0], features: [0.1, 0.2, 0.3])
        let z = sampler.addNoise(to: x, noise: noise, timesteps: [30, 70], layout: layout)
        let a30 = Float(process.schedule.alpha(at: 30)), s30 = Float(process.schedule.sigma(at: 30))
        let a70 = Float(process.schedule.alpha(at: 70)), s70 = Float(process.schedule.sigma(at: 70))
        #expect(abs(z.positions[0] - (a30 * 1 + s30 * 0.5)) < 1e-6)
        #expect(abs(z.features[2] - (a70 * 3 + s70 * 0.3)) < 1e-6)
    }

    @Test func ddimRejectsBadStepCounts() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 10)
        #expect(throws: DiffusionError.self) { try DDIMSampler(process: process, steps: 0) }
        #expect(throws: DiffusionError.self) { try DDIMSampler(process: process, steps: 11) }
    }
}
