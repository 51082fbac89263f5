import Testing
import TestSupport
@testable import Diffusion

/// The Gaussian oracle's ε̂, except NaN for every graph of `poisonedNodeCount` nodes during the
/// first `poisonedCalls` calls: chains of that size diverge until then.
private final class DivergingDenoiser: Denoiser {
    let oracle: GaussianOracleDenoiser
    let poisonedNodeCount: Int
    let poisonedCalls: Int
    private(set) var calls = 0
    var featureWidth: Int { oracle.featureWidth }
    let conditionWidth = 0
    let parameterCount = 0
    let symmetry: Symmetry = .euclidean

    init(oracle: GaussianOracleDenoiser, poisonedNodeCount: Int, poisonedCalls: Int) {
        self.oracle = oracle
        self.poisonedNodeCount = poisonedNodeCount
        self.poisonedCalls = poisonedCalls
    }

    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] { [] }

    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        var out = oracle.predict(input, parameters: parameters)
        defer { calls += 1 }
        guard calls < poisonedCalls else { return out }
        let f = featureWidth
        for g in 0 ..< input.layout.graphCount where input.layout.nodeCounts[g] == poisonedNodeCount {
            for i in input.layout.nodes(ofGraph: g) {
                for d in 0 ..< 3 { out.positions[3 * i + d] = .nan }
                for j in 0 ..< f { out.features[i * f + j] = .nan }
            }
        }
        return out
    }

    func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                         loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)) -> Double {
        loss(predict(input, parameters: parameters)).value
    }
}

@Suite struct SamplerDivergenceTests {
    static let counts = [4, 6, 5, 6, 4, 3]

    static func sampler() throws -> DPMSolverSampler {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 2, divisor: SamplerTests.divisor)
        return try DPMSolverSampler(process: process, steps: 20, grid: .power(3), eta: 5)
    }

    @Test func divergedChainsAreDrawnAgainAndTheOthersKept() throws {
        let sampler = try Self.sampler()
        let oracle = SamplerTests.oracle(sampler.process)
        var plainGenerator = Xoshiro256StarStar(seed: 7)
        let plain = sampler.generate(denoiser: oracle, parameters: [], nodeCounts: Self.counts, using: &plainGenerator)
        #expect(plain.divergedGraphs.isEmpty)

        // Poisoned through the first chain only: graphs 1 and 3 (6 nodes) diverge once.
        let chainLength = sampler.timesteps.count
        let diverging = DivergingDenoiser(oracle: oracle, poisonedNodeCount: 6, poisonedCalls: chainLength)
        var generator = Xoshiro256StarStar(seed: 7)
        let result = sampler.generate(denoiser: diverging, parameters: [], nodeCounts: Self.counts, using: &generator)
        #expect(result.divergedGraphs.isEmpty)
        #expect(diverging.calls == 2 * chainLength, "one redraw of the two diverged graphs")
        #expect(result.layout.nodeCounts == Self.counts)
        for g in [0, 2, 4, 5] {
            let nodes = result.layout.nodes(ofGraph: g)
            #expect(Array(result.positions[3 * nodes.lowerBound ..< 3 * nodes.upperBound])
                    == Array(plain.positions[3 * nodes.lowerBound ..< 3 * nodes.upperBound]), "graph \(g) kept")
        }
        for g in [1, 3] {
            let nodes = result.layout.nodes(ofGraph: g)
            let redrawn = Array(result.positions[3 * nodes.lowerBound ..< 3 * nodes.upperBound])
            #expect(redrawn != Array(plain.positions[3 * nodes.lowerBound ..< 3 * nodes.upperBound]), "graph \(g) redrawn")
            let centre = (0 ..< 3).map { d in stride(from: d, to: redrawn.count, by: 3).reduce(Float(0)) { $0 + redrawn[$1] } }
            expectClose(centre.map(Double.init), [0, 0, 0], tolerance: 1e-4, "graph \(g) zero CoM")
        }
    }

    @Test func aChainThatAlwaysDivergesIsReturnedAfterTheLastRedraw() throws {
        let sampler = try Self.sampler()
        let diverging = DivergingDenoiser(oracle: SamplerTests.oracle(sampler.process), poisonedNodeCount: 3, poisonedCalls: .max)
        var generator = Xoshiro256StarStar(seed: 8)
        let result = sampler.generate(denoiser: diverging, parameters: [], nodeCounts: Self.counts, using: &generator)
        #expect(result.divergedGraphs == [5])
        #expect(diverging.calls == (1 + DPMSolverSampler.maximumRedraws) * sampler.timesteps.count)
    }
}
