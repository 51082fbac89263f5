import Testing
@testable import Diffusion

/// A tiny random batch: graphs of the given sizes, Gaussian positions (spread 1.5) and features.
func tinyBatch(nodeCounts: [Int], featureWidth: Int, conditionWidth: Int = 0, seed: UInt64) -> DenoiserInput {
    var rng = Xoshiro256StarStar(seed: seed)
    let layout = GraphLayout(nodeCounts: nodeCounts)
    var positions = [Float](repeating: 0, count: layout.nodeCount * 3)
    var features = [Float](repeating: 0, count: layout.nodeCount * featureWidth)
    rng.fillStandardNormal(&positions)
    rng.fillStandardNormal(&features)
    positions = positions.map { $0 * 1.5 }
    let time = (0 ..< layout.graphCount).map { _ in Float.random(in: 0 ... 1, using: &rng) }
    let condition = (0 ..< layout.graphCount * conditionWidth).map { _ in Float.random(in: -1 ... 1, using: &rng) }
    return DenoiserInput(layout: layout, positions: positions, features: features, time: time, condition: condition)
}

/// Parameters with every weight large enough that each path (notably the
/// coordinate update, initialised near zero, and the global-pooling rows of the
/// node MLP, whose mean input is small next to the summed messages) matters in a
/// gradient check.
func testParameters(_ egnn: EGNN, seed: UInt64) -> [Float] {
    var rng = Xoshiro256StarStar(seed: seed)
    var p = egnn.initialParameters(using: &rng)
    let h = egnn.configuration.hidden
    for b in egnn.layout.blocks {
        for k in 0 ..< h { p[b.coordW3 + k] = Float.random(in: -0.05 ... 0.05, using: &rng) }
        if egnn.configuration.globalPooling == .mean {
            for k in b.nodeW1 + 2 * h * h ..< b.nodeW1 + 3 * h * h { p[k] *= 4 }
        }
    }
    return p
}

/// L = Σ a ⊙ ε̂_x + Σ b ⊙ ε̂_h with fixed random weights a, b, summed in Double.
struct LinearProbe {
    let a: [Float], b: [Float]

    init(nodes: Int, featureWidth: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        a = (0 ..< nodes * 3).map { _ in Float.random(in: -1 ... 1, using: &rng) }
        b = (0 ..< nodes * featureWidth).map { _ in Float.random(in: -1 ... 1, using: &rng) }
    }

    func value(_ o: DenoiserOutput) -> Double {
        zip(a, o.positions).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            + zip(b, o.features).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    func callAsFunction(_ o: DenoiserOutput) -> (value: Double, gradient: DenoiserOutput) {
        (value(o), DenoiserOutput(positions: a, features: b))
    }
}

/// A random orthogonal matrix with determinant −1 (a rotation composed with a reflection), row-major.
func randomRotoreflection(seed: UInt64) -> [Float] {
    var rng = Xoshiro256StarStar(seed: seed)
    var m = (0 ..< 9).map { _ in rng.nextStandardNormal() }
    // Gram–Schmidt on the rows.
    for r in 0 ..< 3 {
        for q in 0 ..< r {
            let d = (0 ..< 3).reduce(0.0) { $0 + m[3 * r + $1] * m[3 * q + $1] }
            for c in 0 ..< 3 { m[3 * r + c] -= d * m[3 * q + c] }
        }
        let norm = (0 ..< 3).reduce(0.0) { $0 + m[3 * r + $1] * m[3 * r + $1] }.squareRoot()
        for c in 0 ..< 3 { m[3 * r + c] /= norm }
    }
    let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
    if det > 0 { for c in 0 ..< 3 { m[6 + c] = -m[6 + c] } }
    return m.map { Float($0) }
}

/// Applies x ↦ R x + t to every row of x `[N, 3]`.
func transform(_ x: [Float], rotation r: [Float], translation t: [Float] = [0, 0, 0]) -> [Float] {
    var y = x
    for i in 0 ..< x.count / 3 {
        for a in 0 ..< 3 {
            y[3 * i + a] = r[3 * a] * x[3 * i] + r[3 * a + 1] * x[3 * i + 1] + r[3 * a + 2] * x[3 * i + 2] + t[a]
        }
    }
    return y
}
