import Testing
@testable import Diffusion

/// Finite-difference checks of each EGNN sublayer's backward on its own (one layer, hidden 4,
/// two graphs of 3 and 4 nodes), entry by entry: every parameter of the sublayer and every
/// input it reads, against fourth-order central differences
/// (−L(v + 2s) + 8L(v + s) − 8L(v − s) + L(v − 2s)) / 12s of a loss summed in Double.
///
/// The step s = 2⁻⁵ is a power of two, so v ± s is (nearly always) exact in Float and the
/// difference divides by the step actually taken. It balances the two errors: Float rounding in
/// the forward (≈ 10⁻⁷ relative) divided by s, against O(s⁴) truncation, largest for the d²
/// weights (so positions are shrunk to keep d² of order 1). Measured: the worst entry uses a
/// quarter of the tolerance 10⁻³ · |g| + 10⁻⁴, and a backward off by 0.2% fails. At least 80%
/// of the checked entries must be 100 times the floor 10⁻⁴, so the relative part is what counts.
@Suite struct LayerGradientTests {
    static let configuration = EGNNConfiguration(featureWidth: 3, layers: 1, hidden: 4)
    static let step: Float = 1.0 / 32
    static let relativeTolerance = 1e-3, floor = 1e-4

    /// A loaded workspace with h_0, h_1 random `[N, H]`, the layer-0 geometry computed and x_0
    /// then set to zero (the coordinate update's residual, so ε̂ is not buried under |x_0|),
    /// and parameters whose coordinate path matters.
    static func workspace(_ configuration: EGNNConfiguration = configuration) -> (w: EGNNWorkspace, theta: UnsafeMutableBufferPointer<Float>) {
        let egnn = EGNN(configuration)
        let w = EGNNWorkspace(configuration: configuration, parameters: egnn.layout)
        w.load(tinyBatch(nodeCounts: [3, 4], featureWidth: configuration.featureWidth, seed: 21), graphs: 0 ..< 2)
        var rng = Xoshiro256StarStar(seed: 22)
        let n = w.nodeCount, hd = w.hidden
        for l in 0 ... 1 {
            for k in 0 ..< n * hd { w.h[l].pointer[k] = Float(rng.nextStandardNormal()) }
        }
        // Positions shrunk so d² stays of order 1: the MLPs' d² weights then curve no more than the rest.
        for k in 0 ..< n * 3 { w.x[0].pointer[k] *= 0.4 }
        EdgeGeometry.forward(edges: w.edges, x: w.x[0].pointer,
                             squaredDistance: w.squaredDistance[0].pointer, direction: w.direction[0].pointer)
        w.x[0].pointer.zero(n * 3)
        var theta = testParameters(egnn, seed: 23)
        // A coordinate MLP output φ of order 1, so tanh(φ) is neither linear nor saturated.
        for k in 0 ..< hd { theta[egnn.layout.blocks[0].coordW3 + k] *= 10 }
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: theta.count)
        _ = buffer.initialize(from: theta)
        return (w, buffer)
    }

    static func probe(count: Int, seed: UInt64) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0 ..< count).map { _ in Float.random(in: -1 ... 1, using: &rng) }
    }

    /// ⟨a, v⟩ in Double.
    static func dot(_ a: [Float], _ v: UnsafePointer<Float>) -> Double {
        a.indices.reduce(0.0) { $0 + Double(a[$1]) * Double(v[$1]) }
    }

    /// Outcome of checking one named block of entries.
    struct Check {
        var name: String
        var worst = 0.0, worstIndex = -1, worstPair = (analytic: 0.0, numeric: 0.0)
        var large = 0, count = 0
    }

    /// Checks `analytic[k]` against the central difference of `loss` in entry k of `values`.
    static func check(_ name: String, _ values: UnsafeMutablePointer<Float>, _ analytic: [Float], loss: () -> Double) -> Check {
        var result = Check(name: name)
        for k in analytic.indices {
            let original = values[k]
            func at(_ multiple: Float) -> Double {
                values[k] = original + multiple * step
                return loss()
            }
            let numeric = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * Double(step))
            values[k] = original
            let a = Double(analytic[k])
            let excess = abs(a - numeric) / (relativeTolerance * max(abs(a), abs(numeric)) + floor)
            if !(excess <= result.worst) { result.worst = excess; result.worstIndex = k; result.worstPair = (a, numeric) }
            if abs(a) >= 100 * floor { result.large += 1 }
            result.count += 1
        }
        return result
    }

    static func expectAgreement(_ checks: [Check], sourceLocation: SourceLocation = #_sourceLocation) {
        for c in checks {
            #expect(c.worst <= 1, "\(c.name): entry \(c.worstIndex): backward \(c.worstPair.analytic), finite differences \(c.worstPair.numeric) (\(c.worst) × tolerance)",
                    sourceLocation: sourceLocation)
        }
        let large = checks.reduce(0) { $0 + $1.large }, total = checks.reduce(0) { $0 + $1.count }
        #expect(Double(large) >= 0.8 * Double(total),
                "only \(large) of \(total) checked gradients exceed 100 × the floor: \(checks.map { "\($0.name) \($0.large)/\($0.count)" })",
                sourceLocation: sourceLocation)
    }

    /// Views entries `range` of `buffer` as an array.
    static func slice(_ buffer: UnsafeMutablePointer<Float>, _ range: Range<Int>) -> [Float] {
        Array(UnsafeBufferPointer(start: buffer + range.lowerBound, count: range.count))
    }

    /// L = ⟨a, h_1⟩ through the graph convolution: parameters, h_0 and the (shared, at layer
    /// 0) squared distances d² = d0²; without and with global mean pooling.
    @Test(arguments: GlobalPooling.allCases)
    func graphConvolutionMatchesFiniteDifferences(pooling: GlobalPooling) {
        var configuration = Self.configuration
        configuration.globalPooling = pooling
        let (w, theta) = Self.workspace(configuration)
        defer { theta.deallocate() }
        let p = theta.baseAddress!, b = w.parameters.blocks[0]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let a = Self.probe(count: n * hd, seed: 24)
        let loss = {
            GraphConvolution.forward(w, layer: 0, MatrixView(p, rows: 1, columns: theta.count))
            return Self.dot(a, w.h[1].pointer)
        }
        _ = loss()
        var grad = [Float](repeating: 0, count: theta.count)
        w.dh.pointer.update(from: a, count: n * hd)
        w.dSquaredDistance.pointer.zero(e)
        w.dInputSquaredDistance.pointer.zero(e)
        grad.withMutableMatrix(rows: 1, columns: grad.count) {
            GraphConvolution.backward(w, layer: 0, MatrixView(p, rows: 1, columns: theta.count), $0)
        }
        let dh0 = Self.slice(w.dh.pointer, 0 ..< n * hd)
        let dd2 = (0 ..< e).map { w.dSquaredDistance.pointer[$0] + w.dInputSquaredDistance.pointer[$0] }
        let parameters = [("edge W1", b.edgeW1, (2 * hd + 2) * hd), ("edge b1", b.edgeB1, hd), ("edge W2", b.edgeW2, hd * hd),
                          ("edge b2", b.edgeB2, hd), ("attention w", b.attentionW, hd), ("attention b", b.attentionB, 1),
                          ("node W1", b.nodeW1, pooling.nodeInputBlocks * hd * hd), ("node b1", b.nodeB1, hd), ("node W2", b.nodeW2, hd * hd),
                          ("node b2", b.nodeB2, hd)]
        var checks = parameters.map { name, start, count in
            Self.check(name, p + start, Array(grad[start ..< start + count]), loss: loss)
        }
        checks.append(Self.check("h_0", w.h[0].pointer, dh0, loss: loss))
        checks.append(Self.check("d²", w.squaredDistance[0].pointer, dd2, loss: loss))
        Self.expectAgreement(checks)
    }

    /// L = ⟨a, x_1⟩ through the coordinate update: parameters, h_1, d² = d0² and the directions u.
    @Test func coordinateUpdateMatchesFiniteDifferences() {
        let (w, theta) = Self.workspace()
        defer { theta.deallocate() }
        let p = theta.baseAddress!, b = w.parameters.blocks[0]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let a = Self.probe(count: n * 3, seed: 25)
        let loss = {
            CoordinateUpdate.forward(w, layer: 0, MatrixView(p, rows: 1, columns: theta.count))
            return Self.dot(a, w.x[1].pointer)
        }
        _ = loss()
        var grad = [Float](repeating: 0, count: theta.count)
        w.dx.pointer.update(from: a, count: n * 3)
        w.dh.pointer.zero(n * hd)
        w.dSquaredDistance.pointer.zero(e)
        w.dInputSquaredDistance.pointer.zero(e)
        grad.withMutableMatrix(rows: 1, columns: grad.count) {
            CoordinateUpdate.backward(w, layer: 0, MatrixView(p, rows: 1, columns: theta.count), $0)
        }
        let dh1 = Self.slice(w.dh.pointer, 0 ..< n * hd)
        let dd2 = (0 ..< e).map { w.dSquaredDistance.pointer[$0] + w.dInputSquaredDistance.pointer[$0] }
        let du = Self.slice(w.dDirection.pointer, 0 ..< e * 3)
        let parameters = [("coord W1", b.coordW1, (2 * hd + 2) * hd), ("coord b1", b.coordB1, hd), ("coord W2", b.coordW2, hd * hd),
                          ("coord b2", b.coordB2, hd), ("coord w3", b.coordW3, hd)]
        var checks = parameters.map { name, start, count in
            Self.check(name, p + start, Array(grad[start ..< start + count]), loss: loss)
        }
        checks.append(Self.check("h_1", w.h[1].pointer, dh1, loss: loss))
        checks.append(Self.check("d²", w.squaredDistance[0].pointer, dd2, loss: loss))
        checks.append(Self.check("u", w.direction[0].pointer, du, loss: loss))
        Self.expectAgreement(checks)
    }
}
