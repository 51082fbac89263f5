import Testing
import TestSupport
@testable import Diffusion

/// `EGNN.grown(from:parameters:initial:)`: a wider, deeper network that starts as
/// exactly the small one and can learn with every new weight.
@Suite struct GrowthTests {
    static let source = EGNNConfiguration(featureWidth: 4, conditionWidth: 1, layers: 2, hidden: 8)

    static func grownPair(layers: Int, hidden: Int, pooling: GlobalPooling = .none)
        -> (small: EGNN, smallParameters: [Float], large: EGNN, largeParameters: [Float])
    {
        var s = source
        s.globalPooling = pooling
        var l = s
        l.layers = layers
        l.hidden = hidden
        let small = EGNN(s), large = EGNN(l)
        var rng = Xoshiro256StarStar(seed: 7)
        let initial = large.initialParameters(using: &rng)
        let sp = testParameters(small, seed: 3)
        return (small, sp, large, try! large.grown(from: s, parameters: sp, initial: initial))
    }

    @Test(arguments: [(2, 8), (2, 16), (3, 8), (5, 16), (4, 13)], GlobalPooling.allCases)
    func grownNetworkComputesWhatTheSmallOneComputes(shape: (layers: Int, hidden: Int), pooling: GlobalPooling) {
        let pair = Self.grownPair(layers: shape.layers, hidden: shape.hidden, pooling: pooling)
        let batch = tinyBatch(nodeCounts: [5, 3, 7], featureWidth: 4, conditionWidth: 1, seed: 11)
        var a = DenoiserOutput(positions: [], features: []), b = a
        pair.small.predict(batch, parameters: pair.smallParameters, into: &a)
        pair.large.predict(batch, parameters: pair.largeParameters, into: &b)
        // The small network does move atoms and change features, so equality is not trivial.
        #expect(a.positions.contains { abs($0) > 1e-3 } && a.features.contains { abs($0) > 1e-3 })
        expectClose(b.positions, a.positions, tolerance: 1e-5, relative: 1e-5, "ε̂_x of \(shape) vs 2 × 8")
        expectClose(b.features, a.features, tolerance: 1e-5, relative: 1e-5, "ε̂_h of \(shape) vs 2 × 8")
    }

    /// The zeroed read-out weights of new channels, units and blocks all get a gradient,
    /// so the new capacity is used from the first step (zero on both sides would stay zero).
    @Test func everyZeroedReadOutGetsAGradient() {
        let pair = Self.grownPair(layers: 4, hidden: 16)
        let batch = tinyBatch(nodeCounts: [5, 3, 7], featureWidth: 4, conditionWidth: 1, seed: 11)
        let probe = LinearProbe(nodes: batch.layout.nodeCount, featureWidth: 4, seed: 5)
        var gradient = [Float](repeating: 0, count: pair.large.parameterCount)
        _ = pair.large.lossAndGradient(batch, parameters: pair.largeParameters, gradient: &gradient) { out, d in
            let r = probe(out)
            d = r.gradient
            return r.value
        }
        let layout = pair.large.layout, h = 8, hn = 16, fout = 4 + 1 + 1
        func norm(_ indices: [Int]) -> Float { indices.reduce(0) { $0 + gradient[$1] * gradient[$1] } }
        func newRowsOldColumns(_ at: Int, rows: ClosedRange<Int>, cols: Int) -> [Int] {
            rows.flatMap { r in (0 ..< h).map { at + r * cols + $0 } }
        }
        // Output rows of new channels.
        #expect(norm(newRowsOldColumns(layout.outputW, rows: h ... hn - 1, cols: fout)) > 0)
        // Old blocks (0 and 2): new units read by old ones.
        for k in [0, 2] {
            let b = layout.blocks[k]
            #expect(norm(newRowsOldColumns(b.edgeW1, rows: h ... hn - 1, cols: hn)) > 0, "edge W1 of block \(k)")
            #expect(norm(newRowsOldColumns(b.edgeW2, rows: h ... hn - 1, cols: hn)) > 0, "edge W2 of block \(k)")
            #expect(norm((h ..< hn).map { b.attentionW + $0 }) > 0, "attention of block \(k)")
            #expect(norm(newRowsOldColumns(b.nodeW1, rows: hn + h ... 2 * hn - 1, cols: hn)) > 0, "node W1 (messages) of block \(k)")
            #expect(norm(newRowsOldColumns(b.nodeW2, rows: h ... hn - 1, cols: hn)) > 0, "node W2 of block \(k)")
            #expect(norm(newRowsOldColumns(b.coordW2, rows: h ... hn - 1, cols: hn)) > 0, "V2 of block \(k)")
            #expect(norm((h ..< hn).map { b.coordW3 + $0 }) > 0, "w3 of block \(k)")
        }
        // New blocks (1 and 3): their updates of the old channels and of the atoms.
        for k in [1, 3] {
            let b = layout.blocks[k]
            #expect(norm(newRowsOldColumns(b.nodeW2, rows: 0 ... hn - 1, cols: hn)) > 0, "node W2 of new block \(k)")
            #expect(norm((0 ..< h).map { b.nodeB2 + $0 }) > 0, "node b2 of new block \(k)")
            #expect(norm((0 ..< hn).map { b.coordW3 + $0 }) > 0, "w3 of new block \(k)")
        }
    }

    @Test func oldBlocksSpreadEvenlyAmongTheNew() {
        #expect((0 ..< 4).map { EGNN.grownBlockIndex($0, from: 4, to: 8) } == [0, 2, 4, 6])
        #expect((0 ..< 4).map { EGNN.grownBlockIndex($0, from: 4, to: 9) } == [0, 2, 4, 6])
        #expect((0 ..< 2).map { EGNN.grownBlockIndex($0, from: 2, to: 2) } == [0, 1])
    }

    @Test func refusesToShrinkOrToChangeOtherSettings() {
        let small = EGNN(Self.source)
        var rng = Xoshiro256StarStar(seed: 1)
        let p = small.initialParameters(using: &rng)
        var narrower = Self.source
        narrower.hidden = 4
        var other = Self.source
        other.hidden = 16
        other.coordinatesRange = 10
        var unconditional = Self.source
        unconditional.conditionWidth = 0
        for target in [narrower, other, unconditional] {
            let large = EGNN(target)
            let refusal = "an EGNN of 2 × 8 (condition width 1) grows only into one with as many layers, units and condition "
                + "channels or more and otherwise the same settings, not 2 × \(target.hidden) (condition width \(target.conditionWidth))"
            #expect(throws: DiffusionError.invalidConfiguration(refusal)) {
                try large.grown(from: Self.source, parameters: p, initial: large.initialParameters(using: &rng))
            }
        }
        // Weights of the wrong length.
        var wider = Self.source
        wider.hidden = 16
        let large = EGNN(wider)
        #expect(throws: DiffusionError.invalidConfiguration("1455 weights for a 2 × 8 EGNN of 1456, 5208 initial weights for one of 5208")) {
            try large.grown(from: Self.source, parameters: Array(p.dropLast()), initial: large.initialParameters(using: &rng))
        }
    }

    /// An unconditional network fine-tuned into a conditional one (optionally grown too)
    /// starts out computing what it did, whatever the condition: the new condition rows of
    /// the embedding are zero. Training then gives them weight (a gradient reaches them).
    @Test(arguments: [(2, 8), (4, 16)])
    func conditionChannelsStartSilent(shape: (layers: Int, hidden: Int)) throws {
        let small = EGNNConfiguration(featureWidth: 4, layers: 2, hidden: 8)
        var large = small
        large.conditionWidth = 2
        large.layers = shape.layers
        large.hidden = shape.hidden
        #expect(small.grows(into: large) && !large.grows(into: small))
        let source = EGNN(small), target = EGNN(large)
        var rng = Xoshiro256StarStar(seed: 2)
        let sp = testParameters(source, seed: 3)
        let lp = try target.grown(from: small, parameters: sp, initial: target.initialParameters(using: &rng))
        let plain = tinyBatch(nodeCounts: [5, 3], featureWidth: 4, seed: 11)
        var conditioned = plain
        conditioned.condition = [0.7, 1, -1.3, 1]
        let a = source.predict(plain, parameters: sp), b = target.predict(conditioned, parameters: lp)
        expectClose(b.positions, a.positions, tolerance: 1e-5, relative: 1e-5, "ε̂_x")
        expectClose(b.features, a.features, tolerance: 1e-5, relative: 1e-5, "ε̂_h")
        var gradient = [Float](repeating: 0, count: target.parameterCount)
        let probe = LinearProbe(nodes: plain.layout.nodeCount, featureWidth: 4, seed: 5)
        _ = target.lossAndGradient(conditioned, parameters: lp, gradient: &gradient, loss: probe.callAsFunction)
        let conditionRows = (large.embeddingInputWidth - 2 ..< large.embeddingInputWidth)
            .flatMap { r in (0 ..< shape.hidden).map { target.layout.embeddingW + r * shape.hidden + $0 } }
        #expect(conditionRows.contains { gradient[$0] != 0 }, "the condition rows get a gradient")
        let parts = try large.transfer(from: small, parameters: sp, into: &gradient)
        #expect(parts.count == 1 && parts[0].contains("condition inputs 0 → 2"), "\(parts)")
    }
}
