/// The node MLP's global context with `GlobalPooling.mean`: the third block of
/// its first layer, q1_i += μ_{g(i)} · Wn_μ with μ_g = (1/N_g) Σ_{j∈g} h_j
/// (`GlobalPooling` gives the equation). Pooling is per graph and a worker
/// holds whole graphs, so no reduction crosses threads.
extension GraphConvolution {
    /// Adds (μ·Wn_μ)_{g(i)} to row i of `q1` `[N, H]`, keeping μ_l `[G, H]` for backward.
    static func addPooledContext(_ w: EGNNWorkspace, layer l: Int, _ p: MatrixView, to q1: MutableMatrixView) {
        let hd = w.hidden, graphs = w.layout.graphCount
        let mean = w.graphMean[w.slot(l)].matrix(rows: graphs, columns: hd), context = w.graphContext.matrix(rows: graphs, columns: hd)
        let wMean = p.matrix(at: w.parameters.blocks[l].nodeW1 + 2 * hd * hd, rows: hd, columns: hd)
        // μ_g = (1/N_g) Σ_{i∈g} h_i: [G, H]; an empty graph's μ is 0.
        Kernels.graphSums(w.h[w.hSlot(l)].pointer, layout: w.layout, width: hd, mean: true, into: mean.start)
        // c = μ·Wn_μ: [G, H]; q1_i += c_{g(i)}
        context.gemm(mean, wMean, beta: 0)
        Kernels.addGraphRows(context.start, layout: w.layout, width: hd, mean: false, to: q1.start)
    }

    /// Given dq1 = ∂L/∂q1 `[N, H]`: adds ∂L/∂Wn_μ into `grad` and, through μ,
    /// ∂L/∂h_j += (1/N_g) Σ_{i∈g} (dq1·Wn_μᵀ)_i into `dh` `[N, H]`.
    static func addPooledContextBackward(
        _ w: EGNNWorkspace, layer l: Int, _ p: MatrixView, dq1: MutableMatrixView, _ grad: MutableMatrixView,
        dh: MutableMatrixView
    ) {
        let hd = w.hidden, graphs = w.layout.graphCount
        let mean = w.graphMean[l].matrix(rows: graphs, columns: hd)
        let dContext = w.graphContext.matrix(rows: graphs, columns: hd), dMean = w.dGraphMean.matrix(rows: graphs, columns: hd)
        let offset = w.parameters.blocks[l].nodeW1 + 2 * hd * hd
        // dc_g = Σ_{i∈g} dq1_i: [G, H]
        Kernels.graphSums(dq1.start, layout: w.layout, width: hd, mean: false, into: dContext.start)
        // dWn_μ += μᵀ·dc: [H, H]; dμ = dc·Wn_μᵀ: [G, H]
        grad.matrix(at: offset, rows: hd, columns: hd).gemm(mean.transposed, dContext, beta: 1)
        dMean.gemm(dContext, p.matrix(at: offset, rows: hd, columns: hd).transposed, beta: 0)
        // dh_j += dμ_{g(j)} / N_g
        Kernels.addGraphRows(dMean.start, layout: w.layout, width: hd, mean: true, to: dh.start)
    }
}
