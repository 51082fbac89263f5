import Testing
import TestSupport
@testable import Diffusion

@Suite struct NodeCountTiltTests {
    /// p = (½, ¼, ¼) over 3, 5, 9 nodes; drawn sizes 3, 3, 5 with weights 2, 0, 1 (9 never drawn):
    /// tilts (2 + 0 + c)/(2 + c) for 3, (1 + c)/(1 + c) = 1 for 5, 1 for 9.
    @Test func tiltFollowsTheClosedForm() throws {
        let p = try NodeCountDistribution(counts: [3, 5, 9], probabilities: [0.5, 0.25, 0.25])
        let c = 1.0
        let tilted = try p.tilted(nodeCounts: [3, 3, 5, 7], weights: [2, 0, 1, 5], pseudocount: c)
        let raw = [0.5 * (2 + c) / (2 + c), 0.25, 0.25]
        let total = raw.reduce(0, +)
        #expect(tilted.counts == [3, 5, 9])
        for (got, want) in zip(tilted.probabilities, raw.map { $0 / total }) { expectClose(got, want, tolerance: 1e-12) }

        // Without a pseudo-count, mean weights; a size whose graphs all weigh 0 leaves the support.
        let sharp = try p.tilted(nodeCounts: [3, 3, 5], weights: [0, 0, 3], pseudocount: 0)
        #expect(sharp.counts == [5, 9])
        expectClose(sharp.probabilities[0], 0.25 * 3 / (0.25 * 3 + 0.25), tolerance: 1e-12)
    }

    /// Equal weights change nothing, whatever the pseudo-count.
    @Test func equalWeightsKeepTheDistribution() throws {
        let p = try NodeCountDistribution(histogram: [4: 3, 6: 1])
        for c in [0.0, 8.0] {
            let same = try p.tilted(nodeCounts: [4, 4, 6, 4], weights: [1, 1, 1, 1], pseudocount: c)
            #expect(same.counts == p.counts)
            for (a, b) in zip(same.probabilities, p.probabilities) { expectClose(a, b, tolerance: 1e-12) }
        }
    }

    @Test func badInputIsRefused() throws {
        let p = try NodeCountDistribution(histogram: [4: 1])
        #expect(throws: DiffusionError.self) { try p.tilted(nodeCounts: [4], weights: [.nan], pseudocount: 1) }
        #expect(throws: DiffusionError.self) { try p.tilted(nodeCounts: [4], weights: [1], pseudocount: -1) }
        #expect(throws: DiffusionError.self) { try p.tilted(nodeCounts: [4], weights: [0], pseudocount: 0) }
        #expect(throws: DiffusionError.self) { try NodeCountDistribution(counts: [5, 3], probabilities: [0.5, 0.5]) }
    }
}
