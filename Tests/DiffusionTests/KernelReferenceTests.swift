import Testing
import TestSupport
@testable import Diffusion

/// The C kernels (`CKernels`, dispatched per CPU) against straightforward scalar Swift:
/// the definitions of the Swift kernels they replaced (the same e^x polynomial, the same
/// formulas, the same order of additions), one element at a time. The C code contracts
/// no multiply-add, so every clone (AVX-512, AVX2, SSE2) must give the same bits: the
/// tolerance is 0. Odd sizes exercise every vector tail; inputs reach |x| = 100, past
/// the clamp of e^x.
@Suite struct KernelReferenceTests {
    static let sizes = [1, 7, 63, 64, 65, 1000]

    // MARK: Activations

    @Test(arguments: sizes) func activationsMatchScalarReference(count: Int) {
        let x = Reference.inputs(count, seed: UInt64(count))
        func run(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
            var y = [Float](repeating: .nan, count: count)
            kernel(x, &y, count)
            return y
        }
        let e = run { Kernels.exp($0, $1, count: $2) }
        let sigmoid = run { Kernels.sigmoid($0, $1, count: $2) }
        let tanh = run { Kernels.tanh($0, $1, count: $2) }
        let silu = run { Kernels.silu($0, $1, count: $2) }
        for (name, y) in [("exp", e), ("σ", sigmoid), ("tanh", tanh), ("SiLU", silu)] {
            #expect(y.allSatisfy { $0.isFinite }, "\(name) is finite for |x| ≤ 100")
        }
        expectClose(e, x.map(Reference.exp), tolerance: 0, "exp")
        expectClose(sigmoid, x.map(Reference.sigmoid), tolerance: 0, "σ")
        expectClose(tanh, x.map(Reference.tanh), tolerance: 0, "tanh")
        expectClose(silu, x.map(Reference.silu), tolerance: 0, "SiLU")

        var y = [Float](repeating: .nan, count: count), d = y, s = y
        Kernels.siluAndDerivative(x, &y, &d, count: count)
        expectClose(y, x.map(Reference.siluTimesSigmoid), tolerance: 0, "SiLU (with SiLU′)")
        expectClose(d, x.map(Reference.siluDerivative), tolerance: 0, "SiLU′")
        #expect(d.allSatisfy { $0.isFinite }, "SiLU′ is finite for |x| ≤ 100")
        Kernels.siluKeepingSigmoid(x, &y, &s, count: count)
        expectClose(y, x.map(Reference.siluTimesSigmoid), tolerance: 0, "SiLU (keeping σ)")
        expectClose(s, x.map(Reference.sigmoid), tolerance: 0, "kept σ")

        let g0 = Reference.inputs(count, seed: UInt64(count) + 100, spread: 2)
        var g = g0
        Kernels.multiplySiLUDerivative(x, &g, count: count)
        expectClose(g, zip(x, g0).map { Reference.siluDerivative($0) * $1 }, tolerance: 0, "g · SiLU′(x)")
        g = g0
        Kernels.multiplySiLUDerivative(silu: y, sigmoid: s, &g, count: count)
        let kept = (0 ..< count).map { k in g0[k] * (s[k] + y[k] * (1 - s[k])) }
        expectClose(g, kept, tolerance: 0, "g · SiLU′ from kept y, σ")
        g = g0
        Kernels.multiply(&g, by: x, count: count)
        expectClose(g, zip(x, g0).map { $0 * $1 }, tolerance: 0, "g ⊙ x")
    }

    @Test(arguments: sizes) func dotAndAxpyMatchScalarReference(count: Int) {
        let a = Reference.inputs(count, seed: 7, spread: 1), b = Reference.inputs(count, seed: 8, spread: 1)
        expectClose([Kernels.dot(a, b, count: count)], [Reference.dot(a, b, count)], tolerance: 0, "dot")
        var y = b
        Kernels.axpy(0.37, a, &y, count: count)
        expectClose(y, zip(a, b).map { $1 + 0.37 * $0 }, tolerance: 0, "axpy")
    }

    // MARK: Rows and graphs

    @Test(arguments: sizes) func rowKernelsMatchScalarReference(width: Int) {
        let rows = 5
        let x = Reference.inputs(rows * width, seed: 11, spread: 50), bias = Reference.inputs(width, seed: 12, spread: 50)
        let v = (0 ..< rows * width).map { x[$0] + bias[$0 % width] }
        var y = [Float](repeating: .nan, count: rows * width), s = y
        Kernels.addBiasSiLUKeepingSigmoid(bias, x, &y, &s, rows: rows, width: width)
        expectClose(y, v.map(Reference.siluTimesSigmoid), tolerance: 0, "SiLU(x + b)")
        expectClose(s, v.map(Reference.sigmoid), tolerance: 0, "σ(x + b)")
        var z = x
        Kernels.addBiasSiLU(bias, &z, &y, rows: rows, width: width)
        expectClose(z, v, tolerance: 0, "x + b in place")
        expectClose(y, v.map(Reference.silu), tolerance: 0, "SiLU(x + b) in place")
        z = x
        Kernels.addRowVector(bias, to: &z, rows: rows, width: width)
        expectClose(z, v, tolerance: 0, "x + b")

        // Column sums of the first `width` columns of rows `width + 3` apart.
        let stride = width + 3, wide = Reference.inputs(rows * stride, seed: 13, spread: 1)
        var sums = bias
        Kernels.addColumnSums(wide, rows: rows, width: width, stride: stride, into: &sums)
        let expected = (0 ..< width).map { k in (0 ..< rows).reduce(bias[k]) { $0 + wide[$1 * stride + k] } }
        expectClose(sums, expected, tolerance: 0, "column sums")
    }

    @Test(arguments: [1, 7, 64, 65]) func graphSumsMatchScalarReference(width: Int) {
        let layout = GraphLayout(nodeCounts: [3, 0, 1, 7])
        let n = layout.nodeCount, graphs = layout.graphCount
        let x = Reference.inputs(n * width, seed: 21, spread: 1), v = Reference.inputs(graphs * width, seed: 22, spread: 1)
        for mean in [false, true] {
            var out = [Float](repeating: .nan, count: graphs * width)
            Kernels.graphSums(x, layout: layout, width: width, mean: mean, into: &out)
            var expected = [Float](repeating: 0, count: graphs * width)
            for g in 0 ..< graphs {
                let nodes = layout.nodes(ofGraph: g)
                for k in 0 ..< width {
                    let sum = nodes.reduce(Float(0)) { $0 + x[$1 * width + k] }
                    expected[g * width + k] = mean && !nodes.isEmpty ? sum * (1 / Float(nodes.count)) : sum
                }
            }
            expectClose(out, expected, tolerance: 0, "graph sums (mean: \(mean))")

            var y = x
            Kernels.addGraphRows(v, layout: layout, width: width, mean: mean, to: &y)
            var rows = x
            for g in 0 ..< graphs {
                let nodes = layout.nodes(ofGraph: g)
                let share: Float = mean ? 1 / Float(max(nodes.count, 1)) : 1
                for i in nodes { for k in 0 ..< width { rows[i * width + k] += share * v[g * width + k] } }
            }
            expectClose(y, rows, tolerance: 0, "graph rows added (mean: \(mean))")
        }
    }

    // MARK: Edge passes

    @Test(arguments: [1, 7, 63, 64, 65]) func edgePassesMatchScalarReference(width: Int) {
        let layout = GraphLayout(nodeCounts: [1, 4, 7])   // a node without edges, odd edge counts
        let edges = EdgeList(fullyConnected: layout)
        let n = layout.nodeCount, e = edges.edgeCount, w = width
        var seed: UInt64 = 30
        func random(_ count: Int, spread: Float = 1) -> [Float] {
            seed += 1
            return Reference.inputs(count, seed: seed, spread: spread)
        }
        let receivers = edges.receivers.map(Int.init), senders = edges.senders.map(Int.init)

        // gatherPairs and its backward
        let a = random(n * w), b = random(n * w), s = random(e), t = random(e), c = random(w), d = random(w)
        let bias = random(w), g = random(e * w)
        var y = [Float](repeating: .nan, count: e * w)
        EdgeKernels.gatherPairs(edges: edges, a, b, s, c, t, d, bias, into: &y, width: w)
        var expected = y
        for ed in 0 ..< e {
            for k in 0 ..< w {
                expected[ed * w + k] = a[receivers[ed] * w + k] + b[senders[ed] * w + k] + s[ed] * c[k] + t[ed] * d[k] + bias[k]
            }
        }
        expectClose(y, expected, tolerance: 0, "gatherPairs")

        var da = [Float](repeating: .nan, count: n * w), db = da
        let dc0 = random(w), dd0 = random(w), dbias0 = random(w), ds0 = random(e), dt0 = random(e)
        var dc = dc0, dd = dd0, dbias = dbias0, ds = ds0, dt = dt0
        EdgeKernels.gatherPairsBackward(edges: edges, g, width: w, s, c, t, d, da: &da, db: &db, dc: &dc, dd: &dd,
                                        dbias: &dbias, ds: &ds, dt: &dt)
        var rda = [Float](repeating: 0, count: n * w), rdb = rda, rdc = dc0, rdd = dd0, rdbias = dbias0, rds = ds0, rdt = dt0
        for ed in 0 ..< e {
            let ge = Array(g[ed * w ..< (ed + 1) * w])
            for k in 0 ..< w {
                rda[receivers[ed] * w + k] += ge[k]
                rdb[senders[ed] * w + k] += ge[k]
                rdc[k] += s[ed] * ge[k]
                rdd[k] += t[ed] * ge[k]
            }
            rds[ed] += Reference.dot(ge, c, w)
            rdt[ed] += Reference.dot(ge, d, w)
        }
        for i in 0 ..< n { for k in 0 ..< w { rdbias[k] += rda[i * w + k] } }   // Σ_e g[e] by receiver
        for (name, got, want) in [("da", da, rda), ("db", db, rdb), ("dc", dc, rdc), ("dd", dd, rdd),
                                  ("dbias", dbias, rdbias), ("ds", ds, rds), ("dt", dt, rdt)] {
            expectClose(got, want, tolerance: 0, "gatherPairsBackward \(name)")
        }

        // The same gather followed by SiLU, and the backward of both, without the rows between
        var silu = [Float](repeating: .nan, count: e * w), sigma = silu
        EdgeKernels.gatherPairsSiLU(edges: edges, a, b, s, c, t, d, bias, silu: &silu, sigmoid: &sigma, width: w)
        expectClose(silu, y.map(Reference.siluTimesSigmoid), tolerance: 0, "gatherPairsSiLU SiLU")
        expectClose(sigma, y.map(Reference.sigmoid), tolerance: 0, "gatherPairsSiLU σ")
        var siluOnly = [Float](repeating: .nan, count: e * w)
        EdgeKernels.gatherPairsSiLU(edges: edges, a, b, s, c, t, d, bias, silu: &siluOnly, sigmoid: nil, width: w)
        expectClose(siluOnly, y.map(Reference.silu), tolerance: 0, "gatherPairsSiLU without σ")

        let gScaled = (0 ..< e * w).map { k in g[k] * (sigma[k] + silu[k] * (1 - sigma[k])) }
        var sda = [Float](repeating: .nan, count: n * w), sdb = sda
        var sdc = dc0, sdd = dd0, sdbias = dbias0, sds = ds0, sdt = dt0
        EdgeKernels.gatherPairsBackward(edges: edges, gScaled, width: w, s, c, t, d, da: &sda, db: &sdb, dc: &sdc, dd: &sdd,
                                        dbias: &sdbias, ds: &sds, dt: &sdt)
        var fda = [Float](repeating: .nan, count: n * w), fdb = fda
        var fdc = dc0, fdd = dd0, fdbias = dbias0, fds = ds0, fdt = dt0
        silu.withUnsafeBufferPointer { kept in
            sigma.withUnsafeBufferPointer { keptSigma in
                EdgeKernels.gatherPairsBackward(
                    edges: edges, g, throughSiLU: (kept.baseAddress!, keptSigma.baseAddress!), width: w, s, c, t, d,
                    da: &fda, db: &fdb, dc: &fdc, dd: &fdd, dbias: &fdbias, ds: &fds, dt: &fdt)
            }
        }
        for (name, got, want) in [("da", fda, sda), ("db", fdb, sdb), ("dc", fdc, sdc), ("dd", fdd, sdd),
                                  ("dbias", fdbias, sdbias), ("ds", fds, sds), ("dt", fdt, sdt)] {
            expectClose(got, want, tolerance: 0, "gatherPairsBackward through SiLU \(name)")
        }

        // Attention gate and aggregation, and its backward through SiLU
        let z = random(e * w, spread: 4), m = z.map(Reference.silu), sg = z.map(Reference.sigmoid)
        let wa = random(w), ba: Float = 0.3, scale: Float = 0.25
        var gate = [Float](repeating: .nan, count: e), agg = [Float](repeating: .nan, count: n * w)
        EdgeKernels.gatedSum(edges: edges, m, width: w, gateWeights: wa, gateBias: ba, scale: scale, gate: &gate, into: &agg)
        var rgate = gate, ragg = [Float](repeating: 0, count: n * w)
        for ed in 0 ..< e {
            let me = Array(m[ed * w ..< (ed + 1) * w])
            rgate[ed] = Reference.sigmoid(Reference.dot(me, wa, w) + ba)
            for k in 0 ..< w { ragg[receivers[ed] * w + k] += rgate[ed] * scale * me[k] }
        }
        expectClose(gate, rgate, tolerance: 0, "gatedSum gate")
        expectClose(agg, ragg, tolerance: 0, "gatedSum aggregate")

        let dagg = random(n * w), dwa0 = random(w)
        var dz = [Float](repeating: .nan, count: e * w), dwa = dwa0
        let dba = EdgeKernels.gatedSumBackward(edges: edges, dagg, width: w, m, sigmoid: sg, gate: gate, gateWeights: wa,
                                               scale: scale, dz: &dz, dGateWeights: &dwa)
        var rdz = dz, rdwa = dwa0, rdba: Float = 0
        for ed in 0 ..< e {
            let i = receivers[ed], gt = gate[ed]
            let dm = Array(dagg[i * w ..< (i + 1) * w]), me = Array(m[ed * w ..< (ed + 1) * w])
            let dlogit = Reference.dot(dm, me, w) * scale * gt * (1 - gt)
            rdba += dlogit
            for k in 0 ..< w {
                let sk = sg[ed * w + k]
                rdz[ed * w + k] = (dm[k] * (scale * gt) + dlogit * wa[k]) * (sk + me[k] * (1 - sk))
                rdwa[k] += dlogit * me[k]
            }
        }
        expectClose(dz, rdz, tolerance: 0, "gatedSumBackward dz")
        expectClose(dwa, rdwa, tolerance: 0, "gatedSumBackward dw_a")
        expectClose([dba], [rdba], tolerance: 0, "gatedSumBackward db_a")

        // Coordinate update and its backward through SiLU
        let x = random(n * 3, spread: 2)
        var d2 = [Float](repeating: .nan, count: e), u = [Float](repeating: .nan, count: 3 * e)
        EdgeGeometry.forward(edges: edges, x: x, squaredDistance: &d2, direction: &u)
        var rd2 = d2, ru = u
        for ed in 0 ..< e {
            let i = receivers[ed], j = senders[ed]
            let r = (0 ..< 3).map { x[3 * i + $0] - x[3 * j + $0] }
            rd2[ed] = r[0] * r[0] + r[1] * r[1] + r[2] * r[2]
            let inverse = 1 / ((rd2[ed] + EdgeGeometry.epsilon).squareRoot() + 1)
            for q in 0 ..< 3 { ru[3 * ed + q] = r[q] * inverse }
        }
        expectClose(d2, rd2, tolerance: 0, "edge geometry d²")
        expectClose(u, ru, tolerance: 0, "edge geometry u")

        let gd = random(e), gu = random(3 * e), dx0 = random(n * 3)
        var dx = dx0
        EdgeGeometry.backward(edges: edges, x: x, dSquaredDistance: gd, dDirection: gu, dx: &dx)
        var rdx = dx0
        for ed in 0 ..< e {
            let i = receivers[ed], j = senders[ed]
            let r = (0 ..< 3).map { x[3 * i + $0] - x[3 * j + $0] }
            let sigma = (r[0] * r[0] + r[1] * r[1] + r[2] * r[2] + EdgeGeometry.epsilon).squareRoot()
            let inverse = 1 / (sigma + 1)
            let radial = 2 * gd[ed] - (gu[3 * ed] * r[0] + gu[3 * ed + 1] * r[1] + gu[3 * ed + 2] * r[2]) * inverse * inverse / sigma
            for q in 0 ..< 3 {
                let dr = r[q] * radial + gu[3 * ed + q] * inverse
                rdx[3 * i + q] += dr
                rdx[3 * j + q] -= dr
            }
        }
        expectClose(dx, rdx, tolerance: 0, "edge geometry backward")

        let yc = random(e * w, spread: 4), bc = yc.map(Reference.silu), sc = yc.map(Reference.sigmoid), w3 = random(w)
        var th = [Float](repeating: .nan, count: e), xOut = [Float](repeating: .nan, count: n * 3)
        EdgeKernels.tanhProjectedSum(edges: edges, bc, width: w, weights: w3, directions: u, scale: 0.75, tanh: &th, x,
                                     into: &xOut)
        var rth = th, rxOut = x
        for ed in 0 ..< e {
            rth[ed] = Reference.tanh(Reference.dot(Array(bc[ed * w ..< (ed + 1) * w]), w3, w))
        }
        for i in 0 ..< n {
            for q in 0 ..< 3 {
                let sum = (Int(edges.rowOffsets[i]) ..< Int(edges.rowOffsets[i + 1])).reduce(Float(0)) { $0 + u[3 * $1 + q] * rth[$1] }
                rxOut[3 * i + q] = x[3 * i + q] + 0.75 * sum
            }
        }
        expectClose(th, rth, tolerance: 0, "tanhProjectedSum t")
        expectClose(xOut, rxOut, tolerance: 0, "tanhProjectedSum x")

        let dxc = random(n * 3), dw0 = random(w)
        var du = [Float](repeating: .nan, count: 3 * e), dy = [Float](repeating: .nan, count: e * w), dw = dw0
        EdgeKernels.tanhProjectedSumBackward(edges: edges, dxc, directions: u, tanh: th, bc, sigmoid: sc, width: w,
                                             weights: w3, scale: 0.75, dDirections: &du, dy: &dy, dWeights: &dw)
        var rdu = du, rdy = dy, rdw = dw0
        for ed in 0 ..< e {
            let i = receivers[ed]
            let gx = (0 ..< 3).map { 0.75 * dxc[3 * i + $0] }
            let dphi = (gx[0] * u[3 * ed] + gx[1] * u[3 * ed + 1] + gx[2] * u[3 * ed + 2]) * (1 - th[ed] * th[ed])
            for q in 0 ..< 3 { rdu[3 * ed + q] = gx[q] * th[ed] }
            for k in 0 ..< w {
                let bk = bc[ed * w + k], sk = sc[ed * w + k]
                rdy[ed * w + k] = dphi * w3[k] * (sk + bk * (1 - sk))
                rdw[k] += dphi * bk
            }
        }
        expectClose(du, rdu, tolerance: 0, "tanhProjectedSumBackward du")
        expectClose(dy, rdy, tolerance: 0, "tanhProjectedSumBackward dy")
        expectClose(dw, rdw, tolerance: 0, "tanhProjectedSumBackward dw")
    }
}

/// Scalar Swift definitions, one element at a time: those of the Swift kernels the C
/// kernels replaced.
enum Reference {
    /// e^x: range reduction and Cephes-style polynomial, clamped to [−87, 88].
    static func exp(_ x: Float) -> Float {
        let x = Swift.min(Swift.max(x, -87.0), 88.0)
        let shifter: Float = 12_582_912.0
        let n = (x * 1.442_695_04 + shifter) - shifter
        let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p: Float = 1.987_569_1e-4
        p = p * r + 1.398_199_9e-3
        p = p * r + 8.333_452e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_5e-1
        p = p * r + 0.5
        p = p * r * r + r + 1
        return p * Float(bitPattern: UInt32(bitPattern: Int32(n) &+ 127) &<< 23)
    }

    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
    static func tanh(_ x: Float) -> Float { 2 / (1 + exp(-2 * x)) - 1 }
    static func silu(_ x: Float) -> Float { x / (1 + exp(-x)) }
    /// SiLU as x·σ(x), the form of the kernels that also keep σ or SiLU′ (can differ in the last bit).
    static func siluTimesSigmoid(_ x: Float) -> Float { x * sigmoid(x) }
    static func siluDerivative(_ x: Float) -> Float {
        let s = sigmoid(x)
        return s * (1 + x * (1 - s))
    }

    /// Σ a[k]·b[k] in the Swift kernel's order: 8 running sums over blocks of 8, added in
    /// order from −0, then the rest in order.
    static func dot(_ a: [Float], _ b: [Float], _ count: Int) -> Float {
        var lanes = [Float](repeating: 0, count: 8)
        let blocked = count / 8 * 8
        for k in 0 ..< blocked { lanes[k % 8] += a[k] * b[k] }
        var sum = lanes.reduce(-Float.zero, +)
        for k in blocked ..< count { sum += a[k] * b[k] }
        return sum
    }

    /// `count` values uniform in ±spread, with ±100, ±88.5, ±87.5 and 0 among the first
    /// (past and at the clamp of e^x).
    static func inputs(_ count: Int, seed: UInt64, spread: Float = 12) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        var x = (0 ..< count).map { _ in Float.random(in: -spread ... spread, using: &rng) }
        if spread > 10 {
            for (k, v) in [100, -100, 88.5, -88.5, 87.5, -87.5, 0].enumerated() where k < count { x[k] = Float(v) }
        }
        return x
    }
}
