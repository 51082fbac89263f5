import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// `GlobalPooling`: `.none` must stay EDM's model exactly (layout, JSON, numbers), and
/// `.mean` must only add the graph-mean block to the node MLP, graph by graph.
/// (Its gradients, symmetries and threading are checked with the other EGNN tests.)
@Suite struct GlobalPoolingTests {
    @Test func noPoolingKeepsEDMsParameterCount() {
        let plain = EGNNConfiguration(featureWidth: 6, layers: 4, hidden: 64)
        #expect(plain.globalPooling == .none)
        #expect(EGNN(plain).parameterCount == 151_499)
        var pooled = plain
        pooled.globalPooling = .mean
        // One more [H, H] block in each layer's node W1.
        #expect(EGNN(pooled).parameterCount == 151_499 + 4 * 64 * 64)
    }

    @Test func configurationWithoutPoolingKeyDecodesAsNone() throws {
        // models/qm9-s.rgdm's configuration, as written before global pooling existed.
        let saved = """
            {"conditionWidth":0,"connectivity":{"fullyConnected":{}},"coordinatesRange":15,"featureWidth":6,\
            "hidden":64,"layers":4,"normalizationFactor":1,"symmetry":"euclidean"}
            """
        let decoded = try JSONDecoder().decode(EGNNConfiguration.self, from: Data(saved.utf8))
        #expect(decoded == EGNNConfiguration(featureWidth: 6, layers: 4, hidden: 64))
        #expect(decoded.globalPooling == .none)
    }

    @Test(arguments: GlobalPooling.allCases)
    func configurationRoundTripsThroughJSON(pooling: GlobalPooling) throws {
        let c = EGNNConfiguration(featureWidth: 0, layers: 3, hidden: 32, symmetry: .translation,
                                  connectivity: .nearestNeighbours(k: 16), globalPooling: pooling)
        let text = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(EGNNConfiguration.self, from: text) == c)
        #expect(String(decoding: text, as: UTF8.self).contains("\"globalPooling\":\"\(pooling.rawValue)\""))
    }

    /// Predictions and gradients of `.none` models against those recorded before pooling
    /// existed (`RecordedPredictions.swift`). On the machine that recorded them they agree
    /// bit for bit; the tolerance leaves room for another CPU's BLAS kernels only.
    @Test func noPoolingReproducesTheRecordedModel() throws {
        let data = try Data(contentsOf: TrainingTestSupport.fixtureURL(RecordedPrediction.fixture))
        let records = try JSONDecoder().decode([RecordedPrediction].self, from: data)
        #expect(records.count == RecordedPrediction.cases.count)
        for record in records {
            #expect(record.configuration.globalPooling == .none, "\(record.name)")
            let now = RecordedPrediction(name: record.name, configuration: record.configuration, nodeCounts: record.nodeCounts,
                                         seeds: (record.batchSeed, record.parameterSeed, record.probeSeed))
            func floats(_ bits: [UInt32]) -> [Float] { bits.map(Float.init(bitPattern:)) }
            #expect(now.gradient.count == record.gradient.count, "\(record.name): parameter count")
            expectClose(floats(now.positions), floats(record.positions), tolerance: 1e-6, relative: 1e-6, "\(record.name): ε̂_x")
            expectClose(floats(now.features), floats(record.features), tolerance: 1e-6, relative: 1e-6, "\(record.name): ε̂_h")
            expectClose(floats(now.gradient), floats(record.gradient), tolerance: 1e-6, relative: 1e-6, "\(record.name): ∂L/∂θ")
        }
    }

    /// A `.mean` model whose graph-mean rows of node W1 are zero is the `.none` model with
    /// the same other weights: pooling only adds that block, after the h and agg rows.
    @Test func zeroMeanRowsGiveTheModelWithoutPooling() {
        let plain = EGNNConfiguration(featureWidth: 3, conditionWidth: 1, layers: 2, hidden: 8)
        var pooled = plain
        pooled.globalPooling = .mean
        let a = EGNN(plain), b = EGNN(pooled)
        let thetaA = testParameters(a, seed: 91)
        var thetaB = [Float](repeating: 0, count: b.parameterCount)
        // Copy tensor by tensor: everything lines up except the extra [H, H] block in each node W1.
        let h = plain.hidden
        var from = 0, to = 0
        for (blockA, blockB) in zip(a.layout.blocks, b.layout.blocks) {
            let copyUpTo = blockA.nodeW1 + 2 * h * h
            for k in from ..< copyUpTo { thetaB[to + k - from] = thetaA[k] }
            #expect(blockB.nodeW1 == to + blockA.nodeW1 - from)
            to += copyUpTo - from + h * h   // the mean rows stay zero
            from = copyUpTo
        }
        for k in from ..< thetaA.count { thetaB[to + k - from] = thetaA[k] }
        #expect(to + thetaA.count - from == b.parameterCount)
        let input = tinyBatch(nodeCounts: [4, 7, 5], featureWidth: 3, conditionWidth: 1, seed: 92)
        let outA = a.predict(input, parameters: thetaA), outB = b.predict(input, parameters: thetaB)
        expectClose(outB.positions, outA.positions, tolerance: 1e-6, relative: 1e-6, "ε̂_x")
        expectClose(outB.features, outA.features, tolerance: 1e-6, relative: 1e-6, "ε̂_h")
    }

    /// The context each layer feeds its node MLP is the plain mean of that layer's h over the
    /// graph (not a sum, not over the batch), computed here in Double from the cached h_l.
    @Test func contextIsEachGraphsMeanFeature() {
        let c = EGNNConfiguration(featureWidth: 3, layers: 2, hidden: 8, globalPooling: .mean)
        let egnn = EGNN(c)
        let w = EGNNWorkspace(configuration: c, parameters: egnn.layout)
        let input = tinyBatch(nodeCounts: [4, 1, 7], featureWidth: 3, seed: 95)
        w.load(input, graphs: 0 ..< 3)
        let n = input.layout.nodeCount, hd = c.hidden
        var positions = [Float](repeating: 0, count: n * 3), features = [Float](repeating: 0, count: n * 3)
        let theta = testParameters(egnn, seed: 96)
        theta.withMatrix(rows: 1, columns: theta.count) { p in
            positions.withMutableMatrix(rows: n, columns: 3) { x in
                features.withMutableMatrix(rows: n, columns: 3) { h in w.forward(p, positions: x, features: h) }
            }
        }
        for l in 0 ..< c.layers {
            var expected: [Float] = []
            for g in 0 ..< input.layout.graphCount {
                let nodes = input.layout.nodes(ofGraph: g)
                for k in 0 ..< hd {
                    let sum = nodes.reduce(0.0) { $0 + Double(w.h[l].pointer[$1 * hd + k]) }
                    expected.append(Float(sum / Double(nodes.count)))
                }
            }
            let pooled = Array(UnsafeBufferPointer(start: w.graphMean[l].pointer, count: input.layout.graphCount * hd))
            expectClose(pooled, expected, tolerance: 1e-6, relative: 1e-6, "layer \(l): graph means")
        }
    }

    /// Pooling is per graph: changing one graph of a batch changes no other graph's output.
    @Test(arguments: [
        EGNNConfiguration(featureWidth: 3, layers: 2, hidden: 8, globalPooling: .mean),
        EGNNConfiguration(featureWidth: 0, layers: 2, hidden: 8, symmetry: .translation,
                          connectivity: .nearestNeighbours(k: 3), globalPooling: .mean),
    ])
    func graphsDoNotSeeEachOther(configuration c: EGNNConfiguration) {
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: [6, 9, 5], featureWidth: c.featureWidth, seed: 93)
        let theta = testParameters(egnn, seed: 94)
        let base = egnn.predict(input, parameters: theta)
        var moved = input
        for i in input.layout.nodes(ofGraph: 1) {
            for k in 0 ..< 3 { moved.positions[3 * i + k] = 2 * moved.positions[3 * i + k] + 1 }
            for k in 0 ..< c.featureWidth { moved.features[c.featureWidth * i + k] += 0.5 }
        }
        let out = egnn.predict(moved, parameters: theta)
        let changed = input.layout.nodes(ofGraph: 1)
        func others(_ v: [Float], width: Int) -> [Float] {
            v.indices.filter { !changed.contains($0 / width) }.map { v[$0] }
        }
        expectClose(others(out.positions, width: 3), others(base.positions, width: 3), tolerance: 1e-6, relative: 1e-6, "ε̂_x of graphs 0 and 2")
        if c.featureWidth > 0 {
            expectClose(others(out.features, width: c.featureWidth), others(base.features, width: c.featureWidth),
                        tolerance: 1e-6, relative: 1e-6, "ε̂_h of graphs 0 and 2")
        }
        let change = largestDifference(out.positions, base.positions, tolerance: 1e-3, relative: 1e-3)
        #expect(!change.isWithinBound, "graph 1's change did not reach its own output: \(change)")
    }
}
