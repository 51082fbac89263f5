import Foundation

/// A stack of context-modulated linear layers applied to every row of a
/// batch, with one context vector per group of rows: the "ConcatSquash"
/// layer of Luo & Hu 2021 (§4.3, after Grathwohl et al.'s FFJORD),
///
///     a   = x W + b                        x: [rows, d_in], W: [d_in, d_out]
///     y   = a ⊙ σ(c W_g + b_g) + c W_b     c: [groups, C], one row per group
///     out = SiLU(y)  (every layer but the last, or all with `activatesLast`)
///
/// With C = 0 a layer is a plain linear layer (y = a). Rows are points and
/// groups clouds (the pointwise decoder), or rows are latent vectors in
/// groups of one (the latent prior), or rows are points and there is no
/// context (the PointNet encoder). The context terms are computed per group,
/// not per row: [groups, C]·[C, d_out] instead of [rows, C]·[C, d_out].
///
/// Parameters sit in one flat slice, layer by layer: W `[d_in, d_out]`,
/// b `[d_out]`, then with C > 0: W_g `[C, d_out]`, b_g `[d_out]`, W_b `[C, d_out]`.
public struct ContextMLP: Sendable, Equatable {
    /// d_0 … d_L.
    public let widths: [Int]
    public let contextWidth: Int
    public let activatesLast: Bool
    /// Start of each layer's parameters within the slice: `[L + 1]`.
    let offsets: [Int]

    public init(widths: [Int], contextWidth: Int, activatesLast: Bool = false) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 }, "ContextMLP widths \(widths): need ≥ 2, all > 0")
        precondition(contextWidth >= 0, "context width \(contextWidth) < 0")
        self.widths = widths
        self.contextWidth = contextWidth
        self.activatesLast = activatesLast
        var offsets = [0]
        for l in 0 ..< widths.count - 1 {
            let dIn = widths[l], dOut = widths[l + 1]
            offsets.append(offsets[l] + dIn * dOut + dOut + (contextWidth > 0 ? 2 * contextWidth * dOut + dOut : 0))
        }
        self.offsets = offsets
    }

    public var layerCount: Int { widths.count - 1 }
    public var inputWidth: Int { widths[0] }
    public var outputWidth: Int { widths[widths.count - 1] }
    public var parameterCount: Int { offsets[offsets.count - 1] }

    func activates(_ l: Int) -> Bool { l < layerCount - 1 || activatesLast }

    /// PyTorch's `nn.Linear` initialisation: every weight and bias
    /// U(−1/√fan_in, 1/√fan_in), fan_in = d_in for W, b and C for the
    /// context maps. Writes `parameterCount` values at `parameters[offset...]`.
    public func initialize(_ parameters: inout [Float], at offset: Int, using generator: inout some RandomNumberGenerator) {
        precondition(offset + parameterCount <= parameters.count, "parameters too short for ContextMLP at \(offset)")
        var k = offset
        func fill(_ count: Int, fanIn: Int) {
            let bound = Float(1 / Double(fanIn).squareRoot())
            for _ in 0 ..< count { parameters[k] = Float.random(in: -bound ... bound, using: &generator); k += 1 }
        }
        for l in 0 ..< layerCount {
            let dIn = widths[l], dOut = widths[l + 1]
            fill(dIn * dOut + dOut, fanIn: dIn)
            if contextWidth > 0 { fill(2 * contextWidth * dOut + dOut, fanIn: contextWidth) }
        }
    }

    /// The activations a forward pass keeps for its backward.
    public struct Workspace {
        /// Per layer l: its input x_l `[rows, d_l]` (x_0 is a copy of the input).
        var inputs: [[Float]] = []
        /// a_l = x_l W + b and (with C > 0) g_l = σ(c W_g + b_g), hb_l = c W_b: `[rows, d]`, `[groups, d]`.
        var linear: [[Float]] = [], gates: [[Float]] = [], biases: [[Float]] = []
        /// σ(y_l) of the activated layers, for SiLU′.
        var sigmoids: [[Float]] = []
        /// The last layer's output: `[rows, d_L]`.
        public internal(set) var output: [Float] = []
        /// Backward scratch: the gradient flowing into the current layer.
        var upstream: [Float] = [], downstream: [Float] = [], groupScratch: [Float] = []
        /// y of the current layer when C > 0: `[rows, d]`.
        var preActivation: [Float] = []
        /// The last forward's rows and groups.
        var layout = GraphLayout(nodeCounts: [])

        public init() {}
    }

    /// out = MLP(x; c): x `[rows, d_0]`, context `[groups, C]` (rows of group g
    /// are `layout.nodes(ofGraph: g)`), parameters read from `parameters[offset...]`.
    /// The result is `workspace.output` `[rows, d_L]`.
    public func forward(_ x: UnsafeBufferPointer<Float>, layout: GraphLayout, context: [Float],
                        parameters: UnsafePointer<Float>, workspace w: inout Workspace) {
        let rows = layout.nodeCount, groups = layout.graphCount, c = contextWidth
        precondition(x.count == rows * inputWidth, "ContextMLP input: \(x.count) values for \(rows) rows × \(inputWidth)")
        precondition(context.count == groups * c, "ContextMLP context: \(context.count) values for \(groups) groups × \(c)")
        w.layout = layout
        let L = layerCount
        if w.inputs.count != L {
            w.inputs = Array(repeating: [], count: L); w.linear = w.inputs; w.gates = w.inputs
            w.biases = w.inputs; w.sigmoids = w.inputs
        }
        w.inputs[0].resizeKeepingCapacity(to: x.count)
        w.inputs[0].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: x.baseAddress!, count: x.count) }
        for l in 0 ..< L {
            let dIn = widths[l], dOut = widths[l + 1]
            let p = parameters + offsets[l]
            let weight = p, bias = p + dIn * dOut
            w.linear[l].resizeKeepingCapacity(to: rows * dOut)
            // a = x W + b: [rows, d_in]·[d_in, d_out]
            w.inputs[l].withUnsafeBufferPointer { xl in
                w.linear[l].withUnsafeMutableBufferPointer { a in
                    BLAS.gemm(rows, dOut, dIn, xl.baseAddress!, lda: dIn, weight, ldb: dOut, a.baseAddress!, ldc: dOut, beta: 0)
                    Kernels.addRowVector(bias, to: a.baseAddress!, rows: rows, width: dOut)
                }
            }
            if c > 0 {
                let gateWeight = bias + dOut, gateBias = gateWeight + c * dOut, hyperWeight = gateBias + dOut
                w.gates[l].resizeKeepingCapacity(to: groups * dOut)
                w.biases[l].resizeKeepingCapacity(to: groups * dOut)
                context.withUnsafeBufferPointer { ctx in
                    w.gates[l].withUnsafeMutableBufferPointer { g in
                        // g = σ(c W_g + b_g): [groups, C]·[C, d_out]
                        BLAS.gemm(groups, dOut, c, ctx.baseAddress!, lda: c, gateWeight, ldb: dOut, g.baseAddress!, ldc: dOut, beta: 0)
                        Kernels.addRowVector(gateBias, to: g.baseAddress!, rows: groups, width: dOut)
                        Kernels.sigmoid(g.baseAddress!, g.baseAddress!, count: groups * dOut)
                    }
                    w.biases[l].withUnsafeMutableBufferPointer { hb in
                        // hb = c W_b: [groups, C]·[C, d_out]
                        BLAS.gemm(groups, dOut, c, ctx.baseAddress!, lda: c, hyperWeight, ldb: dOut, hb.baseAddress!, ldc: dOut, beta: 0)
                    }
                }
            }
            // y = a ⊙ g[group] + hb[group] (y = a when C = 0), then out = SiLU(y) where activated.
            if c > 0 {
                w.preActivation.resizeKeepingCapacity(to: rows * dOut)
                w.preActivation.withUnsafeMutableBufferPointer { yy in
                    w.linear[l].withUnsafeBufferPointer { a in
                        w.gates[l].withUnsafeBufferPointer { g in
                            w.biases[l].withUnsafeBufferPointer { hb in
                                for group in 0 ..< groups {
                                    let gr = g.baseAddress! + group * dOut, br = hb.baseAddress! + group * dOut
                                    for r in layout.nodes(ofGraph: group) {
                                        let row = yy.baseAddress! + r * dOut, ar = a.baseAddress! + r * dOut
                                        for j in 0 ..< dOut { row[j] = ar[j] * gr[j] + br[j] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var out: [Float] = []
            if l + 1 < L { swap(&out, &w.inputs[l + 1]) } else { swap(&out, &w.output) }
            out.resizeKeepingCapacity(to: rows * dOut)
            (c > 0 ? w.preActivation : w.linear[l]).withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { o in
                    if activates(l) {
                        w.sigmoids[l].resizeKeepingCapacity(to: rows * dOut)
                        w.sigmoids[l].withUnsafeMutableBufferPointer { s in
                            Kernels.siluKeepingSigmoid(y.baseAddress!, o.baseAddress!, s.baseAddress!, count: rows * dOut)
                        }
                    } else {
                        o.baseAddress!.update(from: y.baseAddress!, count: rows * dOut)
                    }
                }
            }
            if l + 1 < L { swap(&out, &w.inputs[l + 1]) } else { swap(&out, &w.output) }
        }
    }

    /// Backward of the last `forward`: given ∂L/∂out `[rows, d_L]` in
    /// `outputGradient`, *adds* ∂L/∂θ into `gradient[offset...]`, ∂L/∂c
    /// `[groups, C]` into `contextGradient` when non-nil, and returns
    /// ∂L/∂x `[rows, d_0]` in `inputGradient` when non-nil (overwritten).
    public func backward(outputGradient: UnsafeBufferPointer<Float>, parameters: UnsafePointer<Float>,
                         gradient: UnsafeMutablePointer<Float>, workspace w: inout Workspace,
                         contextGradient: UnsafeMutablePointer<Float>? = nil, context: [Float] = [],
                         inputGradient: UnsafeMutablePointer<Float>? = nil) {
        let layout = w.layout, rows = layout.nodeCount, groups = layout.graphCount, c = contextWidth
        precondition(outputGradient.count == rows * outputWidth,
                     "ContextMLP output gradient: \(outputGradient.count) values for \(rows) rows × \(outputWidth)")
        precondition(c == 0 || context.count == groups * c, "ContextMLP backward needs the forward's context")
        w.upstream.resizeKeepingCapacity(to: outputGradient.count)
        w.upstream.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: outputGradient.baseAddress!, count: outputGradient.count) }
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let dIn = widths[l], dOut = widths[l + 1]
            let p = parameters + offsets[l], dp = gradient + offsets[l]
            let out: [Float] = l + 1 < layerCount ? w.inputs[l + 1] : w.output
            // dy = dout ⊙ SiLU′(y), with SiLU′ = s + out (1 − s)
            if activates(l) {
                out.withUnsafeBufferPointer { o in
                    w.sigmoids[l].withUnsafeBufferPointer { s in
                        w.upstream.withUnsafeMutableBufferPointer { g in
                            Kernels.multiplySiLUDerivative(silu: o.baseAddress!, sigmoid: s.baseAddress!, g.baseAddress!, count: rows * dOut)
                        }
                    }
                }
            }
            if c > 0 {
                let gateWeight = p + dIn * dOut + dOut, hyperWeight = gateWeight + c * dOut + dOut
                let dGateWeight = dp + dIn * dOut + dOut, dGateBias = dGateWeight + c * dOut, dHyperWeight = dGateBias + dOut
                // Per group: dhb = Σ_r dy[r], dg_pre = (Σ_r dy[r] ⊙ a[r]) ⊙ g (1 − g): [groups, d_out] each.
                w.groupScratch.resizeKeepingCapacity(to: 2 * groups * dOut)
                w.groupScratch.withUnsafeMutableBufferPointer { scratch in
                    let dhb = scratch.baseAddress!, dgp = dhb + groups * dOut
                    dhb.initialize(repeating: 0, count: 2 * groups * dOut)
                    w.upstream.withUnsafeBufferPointer { dy in
                        w.linear[l].withUnsafeBufferPointer { a in
                            w.gates[l].withUnsafeBufferPointer { g in
                                for group in 0 ..< groups {
                                    let sb = dhb + group * dOut, sg = dgp + group * dOut
                                    for r in layout.nodes(ofGraph: group) {
                                        let dr = dy.baseAddress! + r * dOut, ar = a.baseAddress! + r * dOut
                                        for j in 0 ..< dOut { sb[j] += dr[j]; sg[j] += dr[j] * ar[j] }
                                    }
                                    let gr = g.baseAddress! + group * dOut
                                    for j in 0 ..< dOut { sg[j] *= gr[j] * (1 - gr[j]) }
                                }
                            }
                        }
                    }
                    context.withUnsafeBufferPointer { ctx in
                        // dW_b += cᵀ dhb, dW_g += cᵀ dg_pre: [C, groups]·[groups, d_out]; db_g += Σ_g dg_pre
                        BLAS.gemm(c, dOut, groups, ctx.baseAddress!, lda: c, transposeA: true, dhb, ldb: dOut, dHyperWeight, ldc: dOut, beta: 1)
                        BLAS.gemm(c, dOut, groups, ctx.baseAddress!, lda: c, transposeA: true, dgp, ldb: dOut, dGateWeight, ldc: dOut, beta: 1)
                    }
                    Kernels.addColumnSums(dgp, rows: groups, width: dOut, into: dGateBias)
                    if let contextGradient {
                        // dc += dhb W_bᵀ + dg_pre W_gᵀ: [groups, d_out]·[d_out, C]
                        BLAS.gemm(groups, c, dOut, dhb, lda: dOut, hyperWeight, ldb: dOut, transposeB: true, contextGradient, ldc: c, beta: 1)
                        BLAS.gemm(groups, c, dOut, dgp, lda: dOut, gateWeight, ldb: dOut, transposeB: true, contextGradient, ldc: c, beta: 1)
                    }
                }
                // da = dy ⊙ g[group], in place
                w.gates[l].withUnsafeBufferPointer { g in
                    w.upstream.withUnsafeMutableBufferPointer { dy in
                        for group in 0 ..< groups {
                            let gr = g.baseAddress! + group * dOut
                            for r in layout.nodes(ofGraph: group) {
                                let row = dy.baseAddress! + r * dOut
                                for j in 0 ..< dOut { row[j] *= gr[j] }
                            }
                        }
                    }
                }
            }
            // dW += xᵀ da: [d_in, rows]·[rows, d_out]; db += Σ_r da; dx = da Wᵀ
            w.inputs[l].withUnsafeBufferPointer { x in
                w.upstream.withUnsafeBufferPointer { da in
                    BLAS.gemm(dIn, dOut, rows, x.baseAddress!, lda: dIn, transposeA: true, da.baseAddress!, ldb: dOut, dp, ldc: dOut, beta: 1)
                    Kernels.addColumnSums(da.baseAddress!, rows: rows, width: dOut, into: dp + dIn * dOut)
                }
            }
            if l > 0 || inputGradient != nil {
                w.downstream.resizeKeepingCapacity(to: rows * dIn)
                w.upstream.withUnsafeBufferPointer { da in
                    w.downstream.withUnsafeMutableBufferPointer { dx in
                        BLAS.gemm(rows, dIn, dOut, da.baseAddress!, lda: dOut, p, ldb: dOut, transposeB: true, dx.baseAddress!, ldc: dIn, beta: 0)
                    }
                }
                swap(&w.upstream, &w.downstream)
            }
        }
        if let inputGradient {
            w.upstream.withUnsafeBufferPointer { inputGradient.update(from: $0.baseAddress!, count: rows * inputWidth) }
        }
    }
}
