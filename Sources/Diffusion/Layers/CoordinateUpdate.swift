/// EDM's EquivariantUpdate (egnn_new.py; Satorras et al. 2021, eq. 4 in EDM's form):
///   φ_ij = w3 · SiLU(V2 · SiLU(V1 · [h_i, h_j, d²_ij, d0²_ij] + c1) + c2)      (no bias on w3)
///   x_i ← x_i + (R / Z) Σ_j u_ij tanh(φ_ij),  u_ij = (x_i − x_j) / (‖x_i − x_j‖ + 1)
/// with h the GCL's output, R = coords_range (15) and Z the normalisation factor.
/// Equivariant: only u_ij carries direction; φ depends on invariants.
enum CoordinateUpdate {
    /// x_l → x_{l+1}, using h_{l+1} and the layer's geometry; θ is `p` `[1, P]`.
    static func forward(_ w: EGNNWorkspace, layer l: Int, _ p: MatrixView) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let k = w.slot(l), d2 = w.squaredDistance[w.distanceSlot(l)].pointer
        let h = w.h[w.hSlot(l + 1)].matrix(rows: n, columns: hd)
        let qa = w.receiverTerm.matrix(rows: n, columns: hd), qb = w.senderTerm.matrix(rows: n, columns: hd)
        // Q_a = h·V_a, Q_b = h·V_b: [N, H]
        qa.gemm(h, p.matrix(at: b.coordW1, rows: hd, columns: hd), beta: 0)
        qb.gemm(h, p.matrix(at: b.coordW1 + hd * hd, rows: hd, columns: hd), beta: 0)
        // b1 = SiLU(y1), σ(y1) kept, y1 = Q_a[i] + Q_b[j] + v_c d² + v_d d0² + c1: [E, H] (y1 not stored)
        let b1 = w.coordB1[k].matrix(rows: e, columns: hd)
        EdgeKernels.gatherPairsSiLU(
            edges: w.edges, qa.start, qb.start, d2, p.start + b.coordW1 + 2 * hd * hd,
            w.squaredDistance[0].pointer, p.start + b.coordW1 + (2 * hd + 1) * hd, p.start + b.coordB1,
            silu: b1.start, sigmoid: w.keepsActivations ? w.coordS1[l].pointer : nil, width: hd)
        // y2 = b1·V2 + c2, b2 = SiLU(y2), σ(y2) kept: [E, H]
        let y2 = w.edgePreActivation.matrix(rows: e, columns: hd), b2 = w.coordB2[k].pointer
        y2.gemm(b1, p.matrix(at: b.coordW2, rows: hd, columns: hd), beta: 0)
        if w.keepsActivations {
            Kernels.addBiasSiLUKeepingSigmoid(p.start + b.coordB2, y2.start, b2, w.coordS2[l].pointer, rows: e, width: hd)
        } else {
            Kernels.addBiasSiLU(p.start + b.coordB2, y2.start, b2, rows: e, width: hd)
        }
        // t = tanh(b2·w3): [E]; x_{l+1,i} = x_{l,i} + (R/Z) Σ_{e→i} u_e t_e
        let scale = w.configuration.coordinatesRange / w.configuration.normalizationFactor
        EdgeKernels.tanhProjectedSum(
            edges: w.edges, b2, width: hd, weights: p.start + b.coordW3, directions: w.direction[k].pointer,
            scale: scale, tanh: w.coordTanh[k].pointer, w.x[w.xSlot(l)].pointer, into: w.x[w.xSlot(l + 1)].pointer)
    }

    /// Given `dx` = ∂L/∂x_{l+1} (left in place: the residual path) and `dh` = ∂L/∂h_{l+1}
    /// from later layers, adds this update's share to `dh`, writes ∂L/∂u into
    /// `dDirection`, adds ∂L/∂d² and ∂L/∂d0², and adds ∂L/∂θ into `grad` `[1, P]`.
    static func backward(_ w: EGNNWorkspace, layer l: Int, _ p: MatrixView, _ grad: MutableMatrixView) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let h = w.h[l + 1].matrix(rows: n, columns: hd), dh = w.dh.matrix(rows: n, columns: hd)
        let scale = w.configuration.coordinatesRange / w.configuration.normalizationFactor
        // ∂L/∂t_e = (R/Z)⟨dx_i, u_e⟩, ∂L/∂u_e = (R/Z) t_e dx_i, ∂L/∂φ_e = ∂L/∂t_e (1 − t_e²);
        // dy2 = ∂L/∂φ w3 ⊙ SiLU′(y2): [E, H]; dw3 += Σ_e ∂L/∂φ_e b2_e
        let dy2 = w.dEdgePreActivation.matrix(rows: e, columns: hd)
        EdgeKernels.tanhProjectedSumBackward(
            edges: w.edges, w.dx.pointer, directions: w.direction[l].pointer, tanh: w.coordTanh[l].pointer,
            w.coordB2[l].pointer, sigmoid: w.coordS2[l].pointer, width: hd, weights: p.start + b.coordW3,
            scale: scale, dDirections: w.dDirection.pointer, dy: dy2.start, dWeights: grad.start + b.coordW3)
        // dV2 += b1ᵀ·dy2, dc2 += Σ dy2
        let b1 = w.coordB1[l].matrix(rows: e, columns: hd)
        grad.matrix(at: b.coordW2, rows: hd, columns: hd).gemm(b1.transposed, dy2, beta: 1)
        Kernels.addColumnSums(dy2.start, rows: e, width: hd, into: grad.start + b.coordB2)
        // db1 = dy2·V2ᵀ; dy1 = db1 ⊙ SiLU′(y1) inside the first layer's backward
        let db1 = w.dEdgeActivation.matrix(rows: e, columns: hd)
        db1.gemm(dy2, p.matrix(at: b.coordW2, rows: hd, columns: hd).transposed, beta: 0)
        // First layer, split: dQ_a → receiverTerm, dQ_b → senderTerm.
        let dqa = w.receiverTerm.matrix(rows: n, columns: hd), dqb = w.senderTerm.matrix(rows: n, columns: hd)
        let v1 = b.coordW1
        EdgeKernels.gatherPairsBackward(
            edges: w.edges, db1.start, throughSiLU: (UnsafePointer(b1.start), UnsafePointer(w.coordS1[l].pointer)), width: hd,
            w.squaredDistance[l].pointer, p.start + v1 + 2 * hd * hd, w.squaredDistance[0].pointer,
            p.start + v1 + (2 * hd + 1) * hd,
            da: dqa.start, db: dqb.start, dc: grad.start + v1 + 2 * hd * hd, dd: grad.start + v1 + (2 * hd + 1) * hd,
            dbias: grad.start + b.coordB1, ds: w.dSquaredDistance.pointer, dt: w.dInputSquaredDistance.pointer)
        grad.matrix(at: v1, rows: hd, columns: hd).gemm(h.transposed, dqa, beta: 1)
        grad.matrix(at: v1 + hd * hd, rows: hd, columns: hd).gemm(h.transposed, dqb, beta: 1)
        dh.gemm(dqa, p.matrix(at: v1, rows: hd, columns: hd).transposed, beta: 1)
        dh.gemm(dqb, p.matrix(at: v1 + hd * hd, rows: hd, columns: hd).transposed, beta: 1)
    }
}
