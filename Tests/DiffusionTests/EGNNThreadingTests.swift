import Testing
import TestSupport
@testable import Diffusion

@Suite struct EGNNThreadingTests {
    /// Workers see different row counts, so OpenBLAS may block the products
    /// differently and per-worker gradients are summed in another order:
    /// results agree to Float rounding, amplified a little by the network.
    /// With global pooling each worker pools its own whole graphs, so the split changes nothing.
    @Test(arguments: [2, 3], GlobalPooling.allCases)
    func severalWorkersMatchOne(threads: Int, pooling: GlobalPooling) {
        let c = EGNNConfiguration(featureWidth: 6, layers: 2, hidden: 16, globalPooling: pooling)
        let one = EGNN(c, threads: 1), many = EGNN(c, threads: threads)
        let input = tinyBatch(nodeCounts: [9, 12, 5, 7, 15, 10, 3], featureWidth: 6, seed: 81)
        let theta = testParameters(one, seed: 82)
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: 6, seed: 83)
        var g1 = [Float](repeating: 0, count: one.parameterCount), gn = g1
        let l1 = one.lossAndGradient(input, parameters: theta, gradient: &g1, loss: probe.callAsFunction)
        let ln = many.lossAndGradient(input, parameters: theta, gradient: &gn, loss: probe.callAsFunction)
        #expect(abs(l1 - ln) <= 1e-5 * max(1, abs(l1)), "loss: one worker \(l1), \(threads) workers \(ln)")
        expectClose(gn, g1, tolerance: 1e-4, relative: 1e-4, "gradient with \(threads) workers")
        let p1 = one.predict(input, parameters: theta), pn = many.predict(input, parameters: theta)
        expectClose(pn.positions, p1.positions, tolerance: 1e-4, relative: 1e-4, "ε̂_x with \(threads) workers")
        expectClose(pn.features, p1.features, tolerance: 1e-4, relative: 1e-4, "ε̂_h with \(threads) workers")
    }

    /// Cache blocking: a batch cut into many chunks (here one graph each, run
    /// by one or two workers) gives the result of one workspace holding it all.
    @Test(arguments: [1, 2], [false, true])
    func chunkedBatchMatchesOneWorkspace(threads: Int, shapes: Bool) {
        let c = shapes
            ? EGNNConfiguration(featureWidth: 0, layers: 2, hidden: 16, symmetry: .translation,
                                connectivity: .nearestNeighbours(k: 4), globalPooling: .mean)
            : EGNNConfiguration(featureWidth: 6, layers: 2, hidden: 16)
        let whole = EGNN(c, threads: 1, chunkFloats: .max), chunked = EGNN(c, threads: threads, chunkFloats: 1)
        let f = c.featureWidth
        let input = tinyBatch(nodeCounts: [9, 12, 5, 7, 15, 10, 3], featureWidth: f, seed: 91)
        #expect(EGNN.split(input.layout, into: 7, connectivity: c.connectivity).count == 7)
        let theta = testParameters(whole, seed: 92)
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: f, seed: 93)
        var g1 = [Float](repeating: 0, count: whole.parameterCount), gn = g1
        var d1 = DenoiserOutput(positions: [], features: []), dn = d1
        let l1 = whole.lossAndGradient(input, parameters: theta, gradient: &g1, inputGradient: &d1, loss: probe.callAsFunction)
        let ln = chunked.lossAndGradient(input, parameters: theta, gradient: &gn, inputGradient: &dn, loss: probe.callAsFunction)
        #expect(abs(l1 - ln) <= 1e-5 * max(1, abs(l1)), "loss: one workspace \(l1), chunked \(ln)")
        expectClose(gn, g1, tolerance: 1e-4, relative: 1e-4, "parameter gradient, chunked")
        expectClose(dn.positions, d1.positions, tolerance: 1e-4, relative: 1e-4, "∂L/∂z_x, chunked")
        expectClose(dn.features, d1.features, tolerance: 1e-4, relative: 1e-4, "∂L/∂z_h, chunked")
        let p1 = whole.predict(input, parameters: theta), pn = chunked.predict(input, parameters: theta)
        expectClose(pn.positions, p1.positions, tolerance: 1e-4, relative: 1e-4, "ε̂_x, chunked")
        expectClose(pn.features, p1.features, tolerance: 1e-4, relative: 1e-4, "ε̂_h, chunked")
    }

    @Test func splitCoversEveryGraphOnce() {
        let layout = GraphLayout(nodeCounts: [29, 9, 9, 9, 9, 18, 20, 1, 0, 14])
        for parts in 1 ... 12 {
            let ranges = EGNN.split(layout, into: parts, connectivity: .fullyConnected)
            #expect(ranges.count == min(parts, layout.graphCount), "\(parts) parts → \(ranges)")
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == layout.graphCount, "\(ranges)")
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound && !a.isEmpty, "\(ranges)") }
        }
    }

    @Test func emptyBatchGivesEmptyOutput() {
        let egnn = EGNN(EGNNConfiguration(featureWidth: 3, layers: 1, hidden: 4), threads: 2)
        var rng = Xoshiro256StarStar(seed: 1)
        let theta = egnn.initialParameters(using: &rng)
        let input = DenoiserInput(layout: GraphLayout(nodeCounts: []), positions: [], features: [], time: [])
        #expect(egnn.predict(input, parameters: theta).positions.isEmpty)
        var grad = [Float](repeating: 0, count: egnn.parameterCount)
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &grad) { _ in (0, DenoiserOutput(positions: [], features: [])) }
        #expect(grad.allSatisfy { $0 == 0 })
    }

    @Test func parameterCountMatchesEDM() {
        // EDM's QM9-style model with the peers' config S: 4 layers, hidden 64, 6 features (+ time).
        #expect(EGNN(EGNNConfiguration(featureWidth: 6, layers: 4, hidden: 64)).parameterCount == 151_499)
    }
}
