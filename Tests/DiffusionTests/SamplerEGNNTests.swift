import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct SamplerEGNNTests {
    @Test(arguments: [false, true])
    func sameSeedSameSamples(ancestral: Bool) throws {
        let egnn = TrainerEGNNTests.model(threads: 2)
        let process = try TrainerEGNNTests.process(timesteps: 30)
        let sampler: any Sampler = ancestral ? AncestralSampler(process: process) : try DDIMSampler(process: process, steps: 10)
        var initial = Xoshiro256StarStar(seed: 6)
        let parameters = egnn.initialParameters(using: &initial)
        let sizes = try NodeCountDistribution(histogram: [3: 1, 5: 2, 8: 1])
        func run(_ seed: UInt64) -> SampleResult {
            var generator = Xoshiro256StarStar(seed: seed)
            let counts = sizes.sample(4, using: &generator)
            return sampler.generate(denoiser: egnn, parameters: parameters, nodeCounts: counts, using: &generator)
        }
        let first = run(21), again = run(21), other = run(22)
        #expect(first.layout == again.layout)
        #expect(first.positions == again.positions && first.features == again.features)
        #expect(first.positions != other.positions)
        #expect(first.positions.allSatisfy(\.isFinite) && first.features.allSatisfy(\.isFinite))
        let centres = CenterOfMass.means(of: first.positions, layout: first.layout)
        expectClose(centres, repeatElement(0, count: centres.count), tolerance: 1e-4, "centres of mass")
    }
}
