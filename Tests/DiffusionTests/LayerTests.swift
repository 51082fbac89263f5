import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct LayerTests {
    @Test func vectorisedExpIsAccurate() {
        let x = (-8000 ... 8000).map { Float($0) / 100 }
        var y = [Float](repeating: 0, count: x.count)
        Kernels.exp(x, &y, count: x.count)
        expectClose(y, x.map { Foundation.exp(Double($0)) }, tolerance: 0, relative: 5e-7, "exp on [−80, 80]")
    }

    @Test func siluAndItsDerivativeMatchReference() {
        let x: [Float] = stride(from: -12, through: 12, by: 0.37).map { Float($0) }
        var y = [Float](repeating: 0, count: x.count), d = y
        Kernels.siluAndDerivative(x, &y, &d, count: x.count)
        let silu = { (v: Double) in v / (1 + Foundation.exp(-v)) }
        expectClose(y, x.map { Float(silu(Double($0))) }, tolerance: 1e-6, relative: 1e-6, "SiLU")
        expectClose(d, x.map { Float((silu(Double($0) + 1e-5) - silu(Double($0) - 1e-5)) / 2e-5) }, tolerance: 1e-5, relative: 1e-5, "SiLU′")
        var g = [Float](repeating: 1, count: x.count)
        Kernels.multiplySiLUDerivative(x, &g, count: x.count)
        expectClose(g, d, tolerance: 1e-7, relative: 1e-7, "in-place SiLU′")
        var t = [Float](repeating: 0, count: x.count)
        Kernels.tanh(x, &t, count: x.count)
        expectClose(t, x.map { Float(Foundation.tanh(Double($0))) }, tolerance: 1e-6, relative: 1e-6, "tanh")
    }

    @Test func edgeGeometryBackwardMatchesFiniteDifferences() {
        let layout = GraphLayout(nodeCounts: [4, 3])
        let edges = EdgeList(fullyConnected: layout)
        var rng = Xoshiro256StarStar(seed: 5)
        let x = (0 ..< 21).map { _ in Float.random(in: -2 ... 2, using: &rng) }
        let gd = (0 ..< edges.edgeCount).map { _ in Float.random(in: -1 ... 1, using: &rng) }
        let gu = (0 ..< 3 * edges.edgeCount).map { _ in Float.random(in: -1 ... 1, using: &rng) }
        func loss(_ x: [Float]) -> Double {
            var d2 = [Float](repeating: 0, count: edges.edgeCount), u = [Float](repeating: 0, count: 3 * edges.edgeCount)
            EdgeGeometry.forward(edges: edges, x: x, squaredDistance: &d2, direction: &u)
            return zip(gd, d2).reduce(0.0) { $0 + Double($1.0 * $1.1) } + zip(gu, u).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
        var dx = [Float](repeating: 0, count: 21)
        EdgeGeometry.backward(edges: edges, x: x, dSquaredDistance: gd, dDirection: gu, dx: &dx)
        let numeric = (0 ..< 21).map { k -> Float in
            var p = x, m = x
            p[k] += 1e-3; m[k] -= 1e-3
            return Float((loss(p) - loss(m)) / 2e-3)
        }
        expectClose(dx, numeric, tolerance: 5e-3, relative: 5e-3, "∂L/∂x through d² and u")
    }

    @Test func gatherPairsBackwardIsTheAdjoint() {
        // ⟨g, gather(a, b, s, t)⟩ = ⟨da, a⟩ + ⟨db, b⟩ + … for a linear map: check on random data.
        let layout = GraphLayout(nodeCounts: [3, 5])
        let edges = EdgeList(fullyConnected: layout)
        let n = layout.nodeCount, e = edges.edgeCount, w = 5
        var rng = Xoshiro256StarStar(seed: 9)
        func random(_ count: Int) -> [Float] { (0 ..< count).map { _ in Float.random(in: -1 ... 1, using: &rng) } }
        let a = random(n * w), b = random(n * w), s = random(e), t = random(e), c = random(w), d = random(w), g = random(e * w)
        let zero = [Float](repeating: 0, count: w)
        var y = [Float](repeating: 0, count: e * w)
        EdgeKernels.gatherPairs(edges: edges, a, b, s, c, t, d, zero, into: &y, width: w)
        var da = [Float](repeating: 0, count: n * w), db = da, dc = zero, dd = zero, dbias = zero
        var ds = [Float](repeating: 0, count: e), dt = ds
        EdgeKernels.gatherPairsBackward(edges: edges, g, width: w, s, c, t, d, da: &da, db: &db, dc: &dc, dd: &dd,
                                        dbias: &dbias, ds: &ds, dt: &dt)
        func dot(_ u: [Float], _ v: [Float]) -> Double { zip(u, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        let lhs = dot(g, y)
        // y is bilinear in (s, c) and (t, d): ⟨g, y⟩ = ⟨da, a⟩ + ⟨db, b⟩ + ⟨dc, c⟩ + ⟨dd, d⟩ = ⟨da, a⟩ + ⟨db, b⟩ + ⟨ds, s⟩ + ⟨dt, t⟩.
        #expect(abs(lhs - (dot(da, a) + dot(db, b) + dot(dc, c) + dot(dd, d))) < 1e-4, "adjoint in a, b, c, d")
        #expect(abs(lhs - (dot(da, a) + dot(db, b) + dot(ds, s) + dot(dt, t))) < 1e-4, "adjoint in a, b, s, t")
        #expect(abs(dot(dbias, [Float](repeating: 1, count: w)) - g.reduce(0.0) { $0 + Double($1) }) < 1e-4, "bias gradient")
    }

    @Test func fullyConnectedEdgesHaveNoPadding() {
        let layout = GraphLayout(nodeCounts: [3, 1, 4])
        let edges = EdgeList(fullyConnected: layout)
        #expect(edges.edgeCount == 3 * 2 + 0 + 4 * 3)
        #expect(edges.rowOffsets == [0, 2, 4, 6, 6, 9, 12, 15, 18])
        for e in 0 ..< edges.edgeCount {
            #expect(edges.senders[e] != edges.receivers[e])
        }
    }

    @Test func nearestNeighboursMatchSorting() {
        let layout = GraphLayout(nodeCounts: [12, 3])
        var rng = Xoshiro256StarStar(seed: 4)
        let x = (0 ..< 45).map { _ in Float.random(in: -1 ... 1, using: &rng) }
        let edges = EdgeList(nearestNeighbours: 4, layout: layout, positions: x)
        for i in 0 ..< 15 {
            let graph = layout.nodes(ofGraph: i < 12 ? 0 : 1)
            let others = graph.filter { $0 != i }
            func d(_ j: Int) -> Float { (0 ..< 3).reduce(0) { $0 + (x[3 * i + $1] - x[3 * j + $1]) * (x[3 * i + $1] - x[3 * j + $1]) } }
            let expected = others.sorted { (d($0), $0) < (d($1), $1) }.prefix(4).map(Int32.init)
            let got = Array(edges.senders[Int(edges.rowOffsets[i]) ..< Int(edges.rowOffsets[i + 1])])
            #expect(got == Array(expected), "node \(i)")
        }
    }
}
