import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct DPMSolverSamplerTests {
    @Test(arguments: [(0.0, 50, TimestepGrid.logSNR), (0.0, 50, .power(2)), (1.0, 100, .logSNR), (2.0, 200, .power(2))])
    func exactEpsilonRecoversGaussianData(eta: Double, steps: Int, grid: TimestepGrid) throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 1000, featureWidth: 2, divisor: SamplerTests.divisor)
        let sampler = try DPMSolverSampler(process: process, steps: steps, grid: grid, eta: eta)
        #expect(sampler.timesteps.count == steps + 1 && sampler.timesteps.first == 1000 && sampler.timesteps.last == 0)
        var generator = Xoshiro256StarStar(seed: 2025)
        let result = sampler.generate(denoiser: SamplerTests.oracle(process), parameters: [],
                                      nodeCounts: [Int](repeating: 5, count: 600), using: &generator)
        SamplerTests.checkMoments(result, nodes: 5)
    }

    /// rgdm sample's default chain for molecules, η = 5 on 200 power(3) steps, with the exact ε
    /// of Gaussian data: positions and feature means come back as the other chains' do, but
    /// the feature spread comes back about 16 % wide (0.58 against 0.50). Each step freezes x̂
    /// while the Langevin part pulls z̃ toward it at rate c = 1 + η² = 26, so c·h is far from
    /// small and the step's spread is biased; the bound pins that bias, which the Diffusion
    /// README reports beside the chain's molecule figures.
    @Test func theMoleculeDefaultChainKeepsGaussianDataWithAWiderFeatureSpread() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 1000, featureWidth: 2, divisor: SamplerTests.divisor)
        let sampler = try DPMSolverSampler(process: process, steps: 200, grid: .power(3), eta: 5)
        var generator = Xoshiro256StarStar(seed: 2025)
        let result = sampler.generate(denoiser: SamplerTests.oracle(process), parameters: [],
                                      nodeCounts: [Int](repeating: 5, count: 600), using: &generator)
        let positions = result.positions.map(Double.init)
        let expectedVariance = SamplerTests.positionScale * SamplerTests.positionScale * (1 - 1 / 5.0)
        let variance = positions.reduce(0) { $0 + $1 * $1 } / Double(positions.count)
        #expect(abs(variance - expectedVariance) < 0.1 * expectedVariance, "position variance \(variance) vs \(expectedVariance)")
        for j in 0 ..< 2 {
            let column = stride(from: j, to: result.features.count, by: 2).map { Double(result.features[$0]) }
            let mean = TrainingTestSupport.mean(column), sd = TrainingTestSupport.variance(column).squareRoot()
            #expect(abs(mean - Double(SamplerTests.featureMean[j])) < 0.1 * SamplerTests.featureScale, "feature \(j) mean \(mean)")
            #expect(sd > 1.05 * SamplerTests.featureScale && sd < 1.25 * SamplerTests.featureScale, "feature \(j) std \(sd)")
        }
    }

    /// Order 1 without noise is DDIM; order 1 with η = 1 is EDM's ancestral step
    /// (the same draws), each up to rounding.
    @Test func firstOrderStepsAreDDIMAndAncestral() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 2)
        let denoiser = LinearTestDenoiser(featureWidth: 2)
        var initial = Xoshiro256StarStar(seed: 4)
        let parameters = denoiser.initialParameters(using: &initial)
        func run(_ sampler: any Sampler) -> SampleResult {
            var generator = Xoshiro256StarStar(seed: 21)
            return sampler.generate(denoiser: denoiser, parameters: parameters, nodeCounts: [3, 5], using: &generator)
        }
        let ddim = run(try DDIMSampler(process: process, steps: 20))
        let ode = run(try DPMSolverSampler(process: process, steps: 20, grid: .uniform, order: 1))
        expectClose(ode.positions, ddim.positions, tolerance: 1e-4, relative: 1e-4, "positions, η = 0")
        expectClose(ode.features, ddim.features, tolerance: 1e-4, relative: 1e-4, "features, η = 0")
        // One step from z_T: the ancestral step and η = 1 draw the same ε.
        let layout = GraphLayout(nodeCounts: [3, 5])
        var draw = Xoshiro256StarStar(seed: 8)
        let z = process.sampleNoise(layout: layout, using: &draw)
        let input = DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                  time: [1, 1], condition: [])
        let prediction = denoiser.predict(input, parameters: parameters)
        var ancestral = z, sde = z
        var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9)
        try AncestralSampler(process: process, steps: 20).step(&ancestral, prediction: prediction, index: 0, layout: layout, using: &a)
        try DPMSolverSampler(process: process, steps: 20, grid: .uniform, order: 1, eta: 1)
            .step(&sde, prediction: prediction, index: 0, layout: layout, using: &b)
        expectClose(sde.positions, ancestral.positions, tolerance: 1e-5, relative: 1e-4, "positions, η = 1")
        expectClose(sde.features, ancestral.features, tolerance: 1e-5, relative: 1e-4, "features, η = 1")
    }

    @Test func secondOrderChangesTheChain() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 2)
        let denoiser = LinearTestDenoiser(featureWidth: 2)
        var initial = Xoshiro256StarStar(seed: 4)
        let parameters = denoiser.initialParameters(using: &initial)
        func run(order: Int) throws -> SampleResult {
            var generator = Xoshiro256StarStar(seed: 21)
            return try DPMSolverSampler(process: process, steps: 20, order: order)
                .generate(denoiser: denoiser, parameters: parameters, nodeCounts: [3, 5], using: &generator)
        }
        #expect(try run(order: 1).positions != run(order: 2).positions)
    }

    @Test(arguments: [0.0, 1.0, 1.5])
    func keepsTheCentreOfMassAtZeroAndRepeatsWithTheSeed(eta: Double) throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 50, featureWidth: 2)
        let sampler = try DPMSolverSampler(process: process, steps: 12, grid: .power(2), eta: eta)
        let denoiser = LinearTestDenoiser(featureWidth: 2)
        var initial = Xoshiro256StarStar(seed: 1)
        let parameters = denoiser.initialParameters(using: &initial)
        func run(seed: UInt64) -> SampleResult {
            var generator = Xoshiro256StarStar(seed: seed)
            return sampler.generate(denoiser: denoiser, parameters: parameters, nodeCounts: [4, 2, 7],
                                    trajectoryStride: 1, using: &generator)
        }
        let first = run(seed: 77), again = run(seed: 77), other = run(seed: 78)
        #expect(first.positions == again.positions && first.features == again.features)
        #expect(first.positions != other.positions)
        for frame in first.trajectory.dropFirst() + [TrajectoryFrame(timestep: 0, state: GraphTensors(positions: first.positions, features: []))] {
            // Float rounding of the positions' sums: relative to their size.
            let centres = CenterOfMass.means(of: frame.state.positions, layout: first.layout)
            let size = Double(frame.state.positions.map(abs).max() ?? 0)
            expectClose(centres, repeatElement(0, count: centres.count), tolerance: 1e-6 * (1 + size),
                        "centres of mass at t = \(frame.timestep)")
        }
    }

    @Test func refusesBadSettings() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 10)
        #expect(throws: DiffusionError.invalidConfiguration("DPM-Solver++ order must be 1 or 2, got 3")) {
            try DPMSolverSampler(process: process, steps: 5, order: 3)
        }
        #expect(throws: DiffusionError.invalidConfiguration("the noise η of DPM-Solver++ must be ≥ 0, got -1.0")) {
            try DPMSolverSampler(process: process, steps: 5, eta: -1)
        }
        #expect(throws: DiffusionError.invalidConfiguration("sampling steps must be in 1 … T = 10, got 11")) {
            try DPMSolverSampler(process: process, steps: 11)
        }
    }
}
