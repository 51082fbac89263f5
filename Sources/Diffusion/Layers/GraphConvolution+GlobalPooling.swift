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
        for g in 0 ..< graphs {
            let nodes = w.layout.nodes(ofGraph: g), mg = mean + g * hd
            mg.zero(hd)
            for i in nodes { Kernels.axpy(1, h + i * hd, mg, count: hd) }
            if !nodes.isEmpty {
                let inverse = 1 / Float(nodes.count)
                for k in 0 ..< hd { mg[k] *= inverse }
            }
        }
        // c = μ·Wn_μ: [G, H]; q1_i += c_{g(i)}
        BLAS.gemm(graphs, hd, hd, mean, lda: hd, wMean, ldb: hd, context, ldc: hd, beta: 0)
        for g in 0 ..< graphs {
            let cg = UnsafePointer(context + g * hd)
            for i in w.layout.nodes(ofGraph: g) { Kernels.axpy(1, cg, q1 + i * hd, count: hd) }
        }
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
        for g in 0 ..< graphs {
            let dg = dContext + g * hd
            dg.zero(hd)
            for i in w.layout.nodes(ofGraph: g) { Kernels.axpy(1, dq1 + i * hd, dg, count: hd) }
        }
        // dWn_μ += μᵀ·dc: [H, H]; dμ = dc·Wn_μᵀ: [G, H]
        BLAS.gemm(hd, hd, graphs, mean, lda: hd, transposeA: true, dContext, ldb: hd, grad + offset, ldc: hd, beta: 1)
        BLAS.gemm(graphs, hd, hd, dContext, lda: hd, p + offset, ldb: hd, transposeB: true, dMean, ldc: hd, beta: 0)
        // dh_j += dμ_{g(j)} / N_g
        for g in 0 ..< graphs {
            let nodes = w.layout.nodes(ofGraph: g)
            guard !nodes.isEmpty else { continue }
            let share = 1 / Float(nodes.count), dg = UnsafePointer(dMean + g * hd)
            for j in nodes { Kernels.axpy(share, dg, dh + j * hd, count: hd) }
        }
    }
}
