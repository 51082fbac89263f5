import Foundation

/// The regressor's head on node embeddings e `[N, W]`: pool per graph, then an MLP with a linear
/// skip,
///
///     s_g = Σ_{i∈g} e_i  (or the mean)                     [G, W]
///     y_g = w2 · SiLU(s_g W1 + b1) + w_s · s_g + b2          [G]
///
/// so a property that is a sum over nodes of a function of each node's embedding is one linear map
/// away (w_s), and the MLP adds what is not linear in s. Invariant whenever e is, since pooling
/// ignores node order. Parameters at `offset` of θ: W1 `[W, Hh]`, b1 `[Hh]`, w2 `[Hh]`, w_s `[W]`,
/// b2 `[1]`. Sizes are small (G graphs × a few dozen columns), so it runs in Double.
struct PooledHead: Sendable {
    let width: Int
    let hidden: Int
    let pooling: NodePooling
    /// Where the head's parameters start in θ.
    let offset: Int

    var parameterCount: Int { width * hidden + 2 * hidden + width + 1 }
    private var w1: Int { offset }
    private var b1: Int { offset + width * hidden }
    private var w2: Int { b1 + hidden }
    private var ws: Int { w2 + hidden }
    private var b2: Int { ws + width }

    /// What backward needs from forward.
    struct Cache {
        /// s: `[G, W]`.
        var pooled: [Double]
        /// a = s W1 + b1: `[G, Hh]`.
        var preActivation: [Double]
    }

    /// y `[G]` from e `[N, W]`.
    func forward(_ embeddings: [Float], layout: GraphLayout, parameters p: [Float]) -> (values: [Double], cache: Cache) {
        precondition(embeddings.count == layout.nodeCount * width,
                     "embeddings: \(embeddings.count) values for \(layout.nodeCount) nodes × \(width)")
        let graphs = layout.graphCount
        var pooled = [Double](repeating: 0, count: graphs * width)           // s: [G, W]
        for g in 0 ..< graphs {
            let nodes = layout.nodes(ofGraph: g)
            let scale = pooling == .mean && !nodes.isEmpty ? 1 / Double(nodes.count) : 1
            for i in nodes { for c in 0 ..< width { pooled[g * width + c] += Double(embeddings[i * width + c]) } }
            for c in 0 ..< width { pooled[g * width + c] *= scale }
        }
        var pre = [Double](repeating: 0, count: graphs * hidden)              // a: [G, Hh]
        var values = [Double](repeating: Double(p[b2]), count: graphs)        // y: [G]
        for g in 0 ..< graphs {
            for k in 0 ..< hidden {
                var a = Double(p[b1 + k])
                for c in 0 ..< width { a += pooled[g * width + c] * Double(p[w1 + c * hidden + k]) }
                pre[g * hidden + k] = a
                values[g] += Double(p[w2 + k]) * Self.silu(a)
            }
            for c in 0 ..< width { values[g] += Double(p[ws + c]) * pooled[g * width + c] }
        }
        return (values, Cache(pooled: pooled, preActivation: pre))
    }

    /// Given dy = ∂L/∂y `[G]`: adds ∂L/∂θ_head into `gradient` and returns ∂L/∂e `[N, W]`.
    func backward(_ dy: [Double], cache: Cache, layout: GraphLayout, parameters p: [Float],
                  gradient: inout [Float]) -> [Float] {
        let graphs = layout.graphCount
        precondition(dy.count == graphs, "∂L/∂y: \(dy.count) values for \(graphs) graphs")
        var dPooled = [Double](repeating: 0, count: graphs * width)           // ds: [G, W]
        var dW1 = [Double](repeating: 0, count: width * hidden), db1 = [Double](repeating: 0, count: hidden)
        var dw2 = [Double](repeating: 0, count: hidden), dws = [Double](repeating: 0, count: width), db2 = 0.0
        for g in 0 ..< graphs {
            let d = dy[g]
            db2 += d
            for c in 0 ..< width {
                dws[c] += d * cache.pooled[g * width + c]
                dPooled[g * width + c] = d * Double(p[ws + c])
            }
            for k in 0 ..< hidden {
                let a = cache.preActivation[g * hidden + k]
                dw2[k] += d * Self.silu(a)
                let da = d * Double(p[w2 + k]) * Self.siluDerivative(a)    // ∂L/∂a: through w2 and SiLU
                db1[k] += da
                for c in 0 ..< width {
                    dW1[c * hidden + k] += cache.pooled[g * width + c] * da
                    dPooled[g * width + c] += da * Double(p[w1 + c * hidden + k])
                }
            }
        }
        for k in 0 ..< width * hidden { gradient[w1 + k] += Float(dW1[k]) }
        for k in 0 ..< hidden { gradient[b1 + k] += Float(db1[k]); gradient[w2 + k] += Float(dw2[k]) }
        for c in 0 ..< width { gradient[ws + c] += Float(dws[c]) }
        gradient[b2] += Float(db2)
        // ∂L/∂e_i = ∂L/∂s_{g(i)} (÷ N_g for the mean): [N, W]
        var dEmbeddings = [Float](repeating: 0, count: layout.nodeCount * width)
        for g in 0 ..< graphs {
            let nodes = layout.nodes(ofGraph: g)
            let scale = pooling == .mean && !nodes.isEmpty ? 1 / Double(nodes.count) : 1
            for i in nodes { for c in 0 ..< width { dEmbeddings[i * width + c] = Float(dPooled[g * width + c] * scale) } }
        }
        return dEmbeddings
    }

    /// PyTorch's `nn.Linear` default, U(±1/√fan_in), for W1, b1 (fan-in W) and w2 (fan-in Hh); the
    /// skip w_s and b2 start at zero, so a fresh head is the MLP alone.
    func initialise<G: RandomNumberGenerator>(_ p: inout [Float], using generator: inout G) {
        let inBound = 1 / Float(width).squareRoot(), hiddenBound = 1 / Float(hidden).squareRoot()
        for k in w1 ..< b1 + hidden { p[k] = Float.random(in: -inBound ... inBound, using: &generator) }
        for k in w2 ..< w2 + hidden { p[k] = Float.random(in: -hiddenBound ... hiddenBound, using: &generator) }
        for k in ws ... b2 { p[k] = 0 }
    }

    static func silu(_ a: Double) -> Double { a / (1 + Foundation.exp(-a)) }

    /// SiLU′(a) = σ(a) (1 + a (1 − σ(a))).
    static func siluDerivative(_ a: Double) -> Double {
        let s = 1 / (1 + Foundation.exp(-a))
        return s * (1 + a * (1 - s))
    }
}
