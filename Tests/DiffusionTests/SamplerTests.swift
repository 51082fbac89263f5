import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct SamplerTests {
    // Data: positions N(0, 0.8²) projected to zero CoM; features N(μ, 0.5²)
    // in data units, scaled by 1/2 before diffusion.
    static let positionScale = 0.8
    static let featureMean: [Float] = [1.5, -0.75]
    static let featureScale = 0.5
    static let divisor: Float = 2

    static func oracle(_ process: DiffusionProcess) -> GaussianOracleDenoiser {
        GaussianOracleDenoiser(schedule: process.schedule, featureMean: featureMean.map { $0 / divisor },
                               positionScale: positionScale, featureScale: featureScale / Double(divisor))
    }

    /// Checks samples against the data distribution: zero CoM, position
    /// variance s²(1 − 1/n), feature mean μ and std s per column.
    static func checkMoments(_ result: SampleResult, nodes: Int) {
        let centres = CenterOfMass.means(of: result.positions, layout: result.layout)
        expectClose(centres, repeatElement(0, count: centres.count), tolerance: 1e-4, "centres of mass")
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

    @Test func stridedAncestralWithExactEpsilonRecoversGaussianData() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 1000, featureWidth: 2, divisor: Self.divisor)
        let sampler = try AncestralSampler(process: process, steps: 200)
        #expect(sampler.timesteps.count == 201 && sampler.timesteps.first == 1000 && sampler.timesteps.last == 0)
        #expect(sampler.timesteps == (try DDIMSampler(process: process, steps: 200)).timesteps)
        var generator = Xoshiro256StarStar(seed: 7)
        let result = sampler.generate(denoiser: Self.oracle(process), parameters: [],
                                      nodeCounts: [Int](repeating: 4, count: 500), using: &generator)
        Self.checkMoments(result, nodes: 4)
        #expect(throws: DiffusionError.invalidConfiguration("sampling steps must be in 1 … T = 1000, got 1001")) {
            try AncestralSampler(process: process, steps: 1001)
        }
    }

    enum Chain: CaseIterable { case ancestral, ddim, predictorCorrector, dpmSolver, sdeDPMSolver, moleculeDefault }

    @Test(arguments: Chain.allCases)
    func exactEpsilonRecoversATwoPointMixture(chain: Chain) throws {
        // Features x ∈ {−1, +1} with equal probability: E[x | z_t] =
        // tanh(α_t z / σ_t²), so ε* = (z − α_t tanh(α_t z / σ_t²)) / σ_t.
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 500, featureWidth: 1)
        let sampler: any Sampler = switch chain {
        case .ancestral: AncestralSampler(process: process)
        case .ddim: try DDIMSampler(process: process, steps: 100)
        case .predictorCorrector: PredictorCorrectorSampler(predictor: AncestralSampler(process: process),
                                                            corrector: try LangevinCorrector(steps: 2, levels: 250))
        case .dpmSolver: try DPMSolverSampler(process: process, steps: 50)
        case .sdeDPMSolver: try DPMSolverSampler(process: process, steps: 100, eta: 1)
        case .moleculeDefault: try DPMSolverSampler(process: process, steps: 200, grid: .power(3), eta: 5)
        }
        var generator = Xoshiro256StarStar(seed: 13)
        let result = sampler.generate(denoiser: TwoPointOracleDenoiser(schedule: process.schedule), parameters: [],
                                      nodeCounts: [Int](repeating: 2, count: 1000), using: &generator)
        let nearModes = result.features.filter { abs(abs($0) - 1) < 0.05 }.count
        let positive = result.features.filter { $0 > 0 }.count
        #expect(nearModes >= 1980, "\(nearModes) of 2000 features within 0.05 of ±1")
        #expect(abs(positive - 1000) < 100, "\(positive) of 2000 features positive")
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
        #expect(throws: DiffusionError.invalidConfiguration("sampling steps must be in 1 … T = 10, got 0")) { try DDIMSampler(process: process, steps: 0) }
        #expect(throws: DiffusionError.invalidConfiguration("sampling steps must be in 1 … T = 10, got 11")) { try DDIMSampler(process: process, steps: 11) }
    }
}

/// The exact ε-predictor when features are ±1 with equal probability and
/// positions are N(0, 1) in the zero-CoM subspace (then ε*_x = σ_t z_x).
private final class TwoPointOracleDenoiser: Denoiser {
    let schedule: any NoiseSchedule
    let featureWidth = 1, conditionWidth = 0, parameterCount = 0
    let symmetry: Symmetry = .euclidean

    init(schedule: any NoiseSchedule) { self.schedule = schedule }

    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] { [] }

    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        var out = DenoiserOutput(positions: input.positions, features: input.features)
        for g in 0 ..< input.layout.graphCount {
            let t = Int((Double(input.time[g]) * Double(schedule.timesteps)).rounded())
            let a = schedule.alpha(at: t), s = schedule.sigma(at: t)
            for i in input.layout.nodes(ofGraph: g) {
                for d in 0 ..< 3 { out.positions[3 * i + d] = Float(s * Double(input.positions[3 * i + d])) }
                let z = Double(input.features[i])
                out.features[i] = Float((z - a * Foundation.tanh(a * z / (s * s))) / s)
            }
        }
        return out
    }

    func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                         loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)) -> Double {
        loss(predict(input, parameters: parameters)).value
    }
}
