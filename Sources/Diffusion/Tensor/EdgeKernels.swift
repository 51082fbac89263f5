import CKernels

/// Passes over an edge list sorted by receiver (see `EdgeList`): the sum into
/// receivers is a contiguous segment sum, the sum into senders a scatter-add.
/// Node rows and edge rows are `width` floats wide. Each is one C pass of
/// `CKernels` over the whole list (dispatched per CPU, see `Kernels`).
enum EdgeKernels {
    /// y[e] = a[i(e)] + b[j(e)] + c·s[e] + d·t[e] + bias, the first layer of an
    /// edge MLP on [h_i, h_j, s, t] split by linearity (a = h·W_a, b = h·W_b per node).
    /// a, b `[nodes, width]`; s, t `[edges]`; c, d, bias `[width]`; y `[edges, width]`.
    static func gatherPairs(
        edges: EdgeList,
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ s: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
        _ t: UnsafePointer<Float>, _ d: UnsafePointer<Float>,
        _ bias: UnsafePointer<Float>,
        into y: UnsafeMutablePointer<Float>, width: Int
    ) {
        ck_gather_pairs(edges.rowOffsets, edges.senders, edges.nodeCount, a, b, s, c, t, d, bias, y, width)
    }

    /// `gatherPairs` followed by SiLU, the gathered rows never stored: y[e] = SiLU(v[e])
    /// for v[e] the gather's row, and σ(v[e]) into `sigmoid` when given (for the backward).
    /// y, sigmoid `[edges, width]`.
    static func gatherPairsSiLU(
        edges: EdgeList,
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ s: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
        _ t: UnsafePointer<Float>, _ d: UnsafePointer<Float>,
        _ bias: UnsafePointer<Float>,
        silu y: UnsafeMutablePointer<Float>, sigmoid: UnsafeMutablePointer<Float>?, width: Int
    ) {
        ck_gather_pairs_silu(edges.rowOffsets, edges.senders, edges.nodeCount, a, b, s, c, t, d, bias, y, sigmoid, width)
    }

    /// Backward of `gatherPairs`: da[i] = Σ_{e→i} g[e], db[j] = Σ_{e from j} g[e]
    /// (both overwritten), dc += Σ_e s[e]·g[e], dd += Σ_e t[e]·g[e], dbias += Σ_e g[e],
    /// ds[e] += ⟨g[e], c⟩, dt[e] += ⟨g[e], d⟩. With `throughSiLU` (the y = SiLU(v) and σ(v)
    /// kept by `gatherPairsSiLU`), the backward of both: g[e] is first multiplied by
    /// SiLU′ = σ + y(1 − σ), row by row (g itself is left alone).
    static func gatherPairsBackward(
        edges: EdgeList, _ g: UnsafePointer<Float>,
        throughSiLU kept: (silu: UnsafePointer<Float>, sigmoid: UnsafePointer<Float>)? = nil, width: Int,
        _ s: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
        _ t: UnsafePointer<Float>, _ d: UnsafePointer<Float>,
        da: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>,
        dc: UnsafeMutablePointer<Float>, dd: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
        ds: UnsafeMutablePointer<Float>, dt: UnsafeMutablePointer<Float>
    ) {
        ck_gather_pairs_backward(
            edges.rowOffsets, edges.senders, edges.nodeCount, g, kept?.silu, kept?.sigmoid, width,
            s, c, t, d, da, db, dc, dd, dbias, ds, dt)
    }

    /// Attention-gated sum into receivers: gate[e] = σ(⟨m[e], w_a⟩ + b_a),
    /// agg[i] = scale · Σ_{e→i} gate[e]·m[e] (overwritten).
    /// m `[edges, width]`, w_a `[width]`, gate `[edges]`, agg `[nodes, width]`.
    static func gatedSum(
        edges: EdgeList, _ m: UnsafePointer<Float>, width: Int, gateWeights wa: UnsafePointer<Float>, gateBias ba: Float,
        scale: Float, gate: UnsafeMutablePointer<Float>, into agg: UnsafeMutablePointer<Float>
    ) {
        ck_gated_sum(edges.rowOffsets, edges.nodeCount, m, wa, ba, scale, gate, agg, width)
    }

    /// Backward of `gatedSum` through m = SiLU(z) (σ(z) kept in s): with dm = dagg[i(e)],
    /// dlogit_e = scale·⟨dm, m[e]⟩·g(1 − g),
    /// dz[e] = (scale·g·dm + dlogit_e·w_a) ⊙ (s[e] + m[e](1 − s[e])) (overwritten),
    /// dw_a += Σ_e dlogit_e·m[e]; returns ∂L/∂b_a = Σ_e dlogit_e.
    /// dagg `[nodes, width]`; m, s, dz `[edges, width]`; gate `[edges]`.
    static func gatedSumBackward(
        edges: EdgeList, _ dagg: UnsafePointer<Float>, width: Int,
        _ m: UnsafePointer<Float>, sigmoid s: UnsafePointer<Float>, gate: UnsafePointer<Float>,
        gateWeights wa: UnsafePointer<Float>, scale: Float,
        dz: UnsafeMutablePointer<Float>, dGateWeights dwa: UnsafeMutablePointer<Float>
    ) -> Float {
        ck_gated_sum_backward(edges.rowOffsets, edges.nodeCount, dagg, m, s, gate, wa, scale, dz, dwa, width)
    }

    /// Tanh-projected sum of directions into receivers: t[e] = tanh(⟨b[e], w⟩),
    /// xOut[i] = xIn[i] + scale · Σ_{e→i} u[e]·t[e].
    /// b `[edges, width]`, w `[width]`, u `[edges, 3]`, t `[edges]`, xIn, xOut `[nodes, 3]`.
    static func tanhProjectedSum(
        edges: EdgeList, _ b: UnsafePointer<Float>, width: Int, weights w: UnsafePointer<Float>,
        directions u: UnsafePointer<Float>, scale: Float, tanh t: UnsafeMutablePointer<Float>,
        _ xIn: UnsafePointer<Float>, into xOut: UnsafeMutablePointer<Float>
    ) {
        ck_tanh_projected_sum(edges.rowOffsets, edges.nodeCount, b, w, u, xIn, scale, t, xOut, width)
    }

    /// Backward of `tanhProjectedSum` (xIn's share, the identity, is the caller's) through
    /// b = SiLU(y) (σ(y) kept in s): with g = scale·dx[i(e)], du[e] = g·t[e] (overwritten),
    /// φ′_e = ⟨g, u[e]⟩(1 − t[e]²), dy[e] = φ′_e·w ⊙ (s[e] + b[e](1 − s[e])) (overwritten),
    /// dw += Σ_e φ′_e·b[e]. dx `[nodes, 3]`; u, du `[edges, 3]`; b, s, dy `[edges, width]`.
    static func tanhProjectedSumBackward(
        edges: EdgeList, _ dx: UnsafePointer<Float>, directions u: UnsafePointer<Float>, tanh t: UnsafePointer<Float>,
        _ b: UnsafePointer<Float>, sigmoid s: UnsafePointer<Float>, width: Int, weights w: UnsafePointer<Float>,
        scale: Float, dDirections du: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
        dWeights dw: UnsafeMutablePointer<Float>
    ) {
        ck_tanh_projected_sum_backward(edges.rowOffsets, edges.nodeCount, dx, u, t, b, s, w, scale, du, dy, dw, width)
    }
}
