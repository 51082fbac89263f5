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

    /// Which gradients besides ∂L/∂θ a backward pass computes, into its workspace.
    public struct Gradients: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// ∂L/∂c: `workspace.contextGradient`, `[groups, C]`.
        public static let context = Gradients(rawValue: 1)
        /// ∂L/∂x: `workspace.inputGradient`, `[rows, d_0]`.
        public static let input = Gradients(rawValue: 2)
    }

    /// out = MLP(x; c): x `[rows, d_0]`, context `[groups, C]` (rows of group g
    /// are `layout.nodes(ofGraph: g)`), parameters `parameters[offset ..< offset + parameterCount]`.
    /// The result is `workspace.output` `[rows, d_L]`.
    public func forward(_ x: [Float], layout: GraphLayout, context: [Float], parameters: [Float], at offset: Int = 0,
                        workspace: Workspace) {
        precondition(x.count == layout.nodeCount * inputWidth,
                     "ContextMLP input: \(x.count) values for \(layout.nodeCount) rows × \(inputWidth)")
        precondition(offset >= 0 && offset + parameterCount <= parameters.count,
                     "ContextMLP parameters at \(offset): \(parameterCount) of \(parameters.count)")
        parameters.withMatrix(rows: 1, columns: parameters.count) { theta in
            x.withMatrix(rows: layout.nodeCount, columns: inputWidth) { x in
                forward(x, layout: layout, context: context, parameters: theta.matrix(at: offset, rows: 1, columns: parameterCount),
                        workspace: workspace)
            }
        }
    }

    /// Backward of the last `forward`: given ∂L/∂out `[rows, d_L]` in
    /// `outputGradient`, *adds* ∂L/∂θ into `gradient[offset ..< offset + parameterCount]`
    /// and writes the `extra` gradients into the workspace.
    public func backward(outputGradient: [Float], parameters: [Float], at offset: Int = 0, gradient: inout [Float],
                         workspace: Workspace, computing extra: Gradients = []) {
        precondition(outputGradient.count == workspace.layout.nodeCount * outputWidth,
                     "ContextMLP output gradient: \(outputGradient.count) values for \(workspace.layout.nodeCount) rows × \(outputWidth)")
        precondition(offset >= 0 && offset + parameterCount <= parameters.count && gradient.count == parameters.count,
                     "ContextMLP parameters at \(offset): \(parameterCount) of \(parameters.count), gradient \(gradient.count)")
        parameters.withMatrix(rows: 1, columns: parameters.count) { theta in
            gradient.withMutableMatrix(rows: 1, columns: gradient.count) { dTheta in
                outputGradient.withMatrix(rows: workspace.layout.nodeCount, columns: outputWidth) { dOut in
                    backward(outputGradient: dOut, parameters: theta.matrix(at: offset, rows: 1, columns: parameterCount),
                             gradient: dTheta.matrix(at: offset, rows: 1, columns: parameterCount), workspace: workspace,
                             computing: extra)
                }
            }
        }
    }

    /// `forward(_:layout:context:parameters:at:workspace:)` on views: x `[rows, d_0]`, θ `[1, parameterCount]`.
    func forward(_ x: MatrixView, layout: GraphLayout, context: [Float], parameters theta: MatrixView, workspace w: Workspace) {
        let rows = layout.nodeCount, groups = layout.graphCount, c = contextWidth
        precondition(x.rows == rows && x.columns == inputWidth && x.stride == inputWidth,
                     "ContextMLP input [\(x.rows), \(x.columns)] for \(rows) rows × \(inputWidth)")
        precondition(context.count == groups * c, "ContextMLP context: \(context.count) values for \(groups) groups × \(c)")
        w.prepare(layout: layout, widths: widths, contextWidth: c, context: context)
        let ctx = w.context.matrix(rows: groups, columns: c)
        w.activations[0].pointer.update(from: x.start, count: rows * inputWidth)
        for l in 0 ..< layerCount {
            let dIn = widths[l], dOut = widths[l + 1], p = offsets[l]
            let xl = w.activations[l].matrix(rows: rows, columns: dIn), a = w.linear[l].matrix(rows: rows, columns: dOut)
            // a = x W + b: [rows, d_in]·[d_in, d_out]
            a.gemm(xl, theta.matrix(at: p, rows: dIn, columns: dOut), beta: 0)
            Kernels.addRowVector(theta.start + p + dIn * dOut, to: a.start, rows: rows, width: dOut)
            let y: MutableMatrixView
            if c > 0 {
                let gateWeight = p + dIn * dOut + dOut, gateBias = gateWeight + c * dOut, hyperWeight = gateBias + dOut
                let g = w.gates[l].matrix(rows: groups, columns: dOut), hb = w.biases[l].matrix(rows: groups, columns: dOut)
                // g = σ(c W_g + b_g), hb = c W_b: [groups, C]·[C, d_out]
                g.gemm(ctx, theta.matrix(at: gateWeight, rows: c, columns: dOut), beta: 0)
                Kernels.addRowVector(theta.start + gateBias, to: g.start, rows: groups, width: dOut)
                Kernels.sigmoid(g.start, g.start, count: groups * dOut)
                hb.gemm(ctx, theta.matrix(at: hyperWeight, rows: c, columns: dOut), beta: 0)
                // y = a ⊙ g[group] + hb[group]
                y = w.preActivation.matrix(rows: rows, columns: dOut)
                for group in 0 ..< groups {
                    let gr = g.start + group * dOut, br = hb.start + group * dOut
                    for r in layout.nodes(ofGraph: group) {
                        let row = y.start + r * dOut, ar = a.start + r * dOut
                        for j in 0 ..< dOut { row[j] = ar[j] * gr[j] + br[j] }
                    }
                }
            } else {
                y = a
            }
            // x_{l+1} = SiLU(y) where activated, else y
            let out = w.activations[l + 1].pointer
            if activates(l) {
                Kernels.siluKeepingSigmoid(y.start, out, w.sigmoids[l].pointer, count: rows * dOut)
            } else {
                out.update(from: y.start, count: rows * dOut)
            }
        }
    }

    /// `backward(outputGradient:parameters:at:gradient:workspace:computing:)` on views:
    /// ∂L/∂out `[rows, d_L]`, θ and ∂L/∂θ `[1, parameterCount]`.
    func backward(outputGradient: MatrixView, parameters theta: MatrixView, gradient dTheta: MutableMatrixView,
                  workspace w: Workspace, computing extra: Gradients) {
        let layout = w.layout, rows = layout.nodeCount, groups = layout.graphCount, c = contextWidth
        precondition(outputGradient.rows == rows && outputGradient.columns == outputWidth && outputGradient.stride == outputWidth,
                     "ContextMLP output gradient [\(outputGradient.rows), \(outputGradient.columns)] for \(rows) rows × \(outputWidth)")
        precondition(c > 0 || !extra.contains(.context), "ContextMLP without a context has no context gradient")
        w.prepareBackward(computing: extra)
        let ctx = w.context.matrix(rows: groups, columns: c), dc = w.contextGradientBuffer.matrix(rows: groups, columns: c)
        if extra.contains(.context) { dc.start.zero(groups * c) }
        w.upstream.pointer.update(from: outputGradient.start, count: rows * outputWidth)
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let dIn = widths[l], dOut = widths[l + 1], p = offsets[l]
            let dy = w.upstream.matrix(rows: rows, columns: dOut)
            // dy = dout ⊙ SiLU′(y), with SiLU′ = s + out (1 − s)
            if activates(l) {
                Kernels.multiplySiLUDerivative(silu: w.activations[l + 1].pointer, sigmoid: w.sigmoids[l].pointer, dy.start,
                                               count: rows * dOut)
            }
            if c > 0 {
                let gateWeight = p + dIn * dOut + dOut, gateBias = gateWeight + c * dOut, hyperWeight = gateBias + dOut
                let a = w.linear[l].pointer, g = w.gates[l].pointer
                // Per group: dhb = Σ_r dy[r], dg_pre = (Σ_r dy[r] ⊙ a[r]) ⊙ g (1 − g): [groups, d_out] each.
                let dhb = w.groupGradients.matrix(rows: groups, columns: dOut)
                let dgp = MutableMatrixView(dhb.start + groups * dOut, rows: groups, columns: dOut)
                dhb.start.zero(2 * groups * dOut)
                for group in 0 ..< groups {
                    let sb = dhb.start + group * dOut, sg = dgp.start + group * dOut
                    for r in layout.nodes(ofGraph: group) {
                        let dr = dy.start + r * dOut, ar = a + r * dOut
                        for j in 0 ..< dOut { sb[j] += dr[j]; sg[j] += dr[j] * ar[j] }
                    }
                    let gr = g + group * dOut
                    for j in 0 ..< dOut { sg[j] *= gr[j] * (1 - gr[j]) }
                }
                // dW_b += cᵀ dhb, dW_g += cᵀ dg_pre: [C, groups]·[groups, d_out]; db_g += Σ_g dg_pre
                dTheta.matrix(at: hyperWeight, rows: c, columns: dOut).gemm(ctx.transposed, dhb, beta: 1)
                dTheta.matrix(at: gateWeight, rows: c, columns: dOut).gemm(ctx.transposed, dgp, beta: 1)
                Kernels.addColumnSums(dgp.start, rows: groups, width: dOut, into: dTheta.start + gateBias)
                if extra.contains(.context) {
                    // dc += dhb W_bᵀ + dg_pre W_gᵀ: [groups, d_out]·[d_out, C]
                    dc.gemm(dhb, theta.matrix(at: hyperWeight, rows: c, columns: dOut).transposed, beta: 1)
                    dc.gemm(dgp, theta.matrix(at: gateWeight, rows: c, columns: dOut).transposed, beta: 1)
                }
                // da = dy ⊙ g[group], in place
                for group in 0 ..< groups {
                    let gr = g + group * dOut
                    for r in layout.nodes(ofGraph: group) {
                        let row = dy.start + r * dOut
                        for j in 0 ..< dOut { row[j] *= gr[j] }
                    }
                }
            }
            // dW += xᵀ da: [d_in, rows]·[rows, d_out]; db += Σ_r da; dx = da Wᵀ
            let da = dy, x = w.activations[l].matrix(rows: rows, columns: dIn)
            dTheta.matrix(at: p, rows: dIn, columns: dOut).gemm(x.transposed, da, beta: 1)
            Kernels.addColumnSums(da.start, rows: rows, width: dOut, into: dTheta.start + p + dIn * dOut)
            if l > 0 || extra.contains(.input) {
                w.downstream.matrix(rows: rows, columns: dIn).gemm(da, theta.matrix(at: p, rows: dIn, columns: dOut).transposed, beta: 0)
                swap(&w.upstream, &w.downstream)
            }
        }
    }
}
