/// The node MLP's global context with `GlobalPooling.mean`: the third block of
/// its first layer, q1_i += μ_{g(i)} · Wn_μ with μ_g = (1/N_g) Σ_{j∈g} h_j
/// (`GlobalPooling` gives the equation). Pooling is per graph and a worker
/// holds whole graphs, so no reduction crosses threads.
extension GraphConvolution {
    /// Adds (μ·Wn_μ)_{g(i)} to row i of `q1` `[N, H]`, keeping μ_l `[G, H]` for backward.
    static func addPooledContext(_ w: EGNNWorkspace, layer l: Int, _ p: UnsafePointer<Float>, to q1: UnsafeMutablePointer<Float>) {
        let hd = w.hidden, graphs = w.layout.graphCount
        let h = UnsafePointer(w.h[l].pointer), mean = w.graphMean[l].pointer, context = w.graphA.pointer
        let wMean = p + w.parameters.blocks[l].nodeW1 + 2 * hd * hd
        // μ_g = (1/N_g) Σ_{i∈g} h_i: [G, H]; an empty graph's μ is 0.
        Kernels.graphSums(h, layout: w.layout, width: hd, mean: true, into: mean)
        // c = μ·Wn_μ: [G, H]; q1_i += c_{g(i)}
        BLAS.gemm(graphs, hd, hd, mean, lda: hd, wMean, ldb: hd, context, ldc: hd, beta: 0)
        Kernels.addGraphRows(context, layout: w.layout, width: hd, mean: false, to: q1)
    }

    /// Given dq1 = ∂L/∂q1 `[N, H]`: adds ∂L/∂Wn_μ into `grad` and, through μ,
    /// ∂L/∂h_j += (1/N_g) Σ_{i∈g} (dq1·Wn_μᵀ)_i into `dh` `[N, H]`.
    static func addPooledContextBackward(
        _ w: EGNNWorkspace, layer l: Int, _ p: UnsafePointer<Float>, dq1: UnsafePointer<Float>,
        _ grad: UnsafeMutablePointer<Float>, dh: UnsafeMutablePointer<Float>
    ) {
        let hd = w.hidden, graphs = w.layout.graphCount
        let mean = UnsafePointer(w.graphMean[l].pointer), dContext = w.graphA.pointer, dMean = w.graphB.pointer
        let offset = w.parameters.blocks[l].nodeW1 + 2 * hd * hd
        // dc_g = Σ_{i∈g} dq1_i: [G, H]
        Kernels.graphSums(dq1, layout: w.layout, width: hd, mean: false, into: dContext)
        // dWn_μ += μᵀ·dc: [H, H]; dμ = dc·Wn_μᵀ: [G, H]
        BLAS.gemm(hd, hd, graphs, mean, lda: hd, transposeA: true, dContext, ldb: hd, grad + offset, ldc: hd, beta: 1)
        BLAS.gemm(graphs, hd, hd, dContext, lda: hd, p + offset, ldb: hd, transposeB: true, dMean, ldc: hd, beta: 0)
        // dh_j += dμ_{g(j)} / N_g
        Kernels.addGraphRows(dMean, layout: w.layout, width: hd, mean: true, to: dh)
    }
}
