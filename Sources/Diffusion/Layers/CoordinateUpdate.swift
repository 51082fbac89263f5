/// EDM's EquivariantUpdate (egnn_new.py; Satorras et al. 2021, eq. 4 in EDM's form):
///   φ_ij = w3 · SiLU(V2 · SiLU(V1 · [h_i, h_j, d²_ij, d0²_ij] + c1) + c2)      (no bias on w3)
///   x_i ← x_i + (R / Z) Σ_j u_ij tanh(φ_ij),  u_ij = (x_i − x_j) / (‖x_i − x_j‖ + 1)
/// with h the GCL's output, R = coords_range (15) and Z the normalisation factor.
/// Equivariant: only u_ij carries direction; φ depends on invariants.
enum CoordinateUpdate {
    /// x_l → x_{l+1}, using h_{l+1} and the layer's geometry.
    static func forward(_ w: EGNNWorkspace, layer l: Int, _ p: UnsafePointer<Float>) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let h = UnsafePointer(w.h[l + 1].pointer)
        let qa = w.nodeA.pointer, qb = w.nodeB.pointer
        // Q_a = h·V_a, Q_b = h·V_b: [N, H]
        BLAS.gemm(n, hd, hd, h, lda: hd, p + b.coordW1, ldb: hd, qa, ldc: hd, beta: 0)
        BLAS.gemm(n, hd, hd, h, lda: hd, p + b.coordW1 + hd * hd, ldb: hd, qb, ldc: hd, beta: 0)
        // b1 = SiLU(y1), σ(y1) kept, y1 = Q_a[i] + Q_b[j] + v_c d² + v_d d0² + c1: [E, H] (y1 not stored)
        let b1 = w.coordB1[l].pointer
        EdgeKernels.gatherPairsSiLU(
            edges: w.edges, qa, qb, w.squaredDistance[l].pointer, p + b.coordW1 + 2 * hd * hd,
            w.squaredDistance[0].pointer, p + b.coordW1 + (2 * hd + 1) * hd, p + b.coordB1,
            silu: b1, sigmoid: w.keepsActivations ? w.coordS1[l].pointer : nil, width: hd)
        // y2 = b1·V2 + c2 (scratch), b2 = SiLU(y2), σ(y2) kept: [E, H]
        let y2 = w.edgeB.pointer, b2 = w.coordB2[l].pointer
        BLAS.gemm(e, hd, hd, b1, lda: hd, p + b.coordW2, ldb: hd, y2, ldc: hd, beta: 0)
        if w.keepsActivations {
            Kernels.addBiasSiLUKeepingSigmoid(p + b.coordB2, y2, b2, w.coordS2[l].pointer, rows: e, width: hd)
        } else {
            Kernels.addBiasSiLU(p + b.coordB2, y2, b2, rows: e, width: hd)
        }
        // t = tanh(b2·w3): [E]; x_{l+1,i} = x_{l,i} + (R/Z) Σ_{e→i} u_e t_e
        let t = w.coordTanh[l].pointer, w3 = p + b.coordW3
        let u = UnsafePointer(w.direction[l].pointer)
        let xIn = UnsafePointer(w.x[l].pointer), xOut = w.x[l + 1].pointer
        let scale = w.configuration.coordinatesRange / w.configuration.normalizationFactor
        EdgeKernels.tanhProjectedSum(
            edges: w.edges, b2, width: hd, weights: w3, directions: u, scale: scale, tanh: t, xIn, into: xOut)
    }

    /// Given `dx` = ∂L/∂x_{l+1} (left in place: the residual path) and `dh` = ∂L/∂h_{l+1}
    /// from later layers, adds this update's share to `dh`, writes ∂L/∂u into
    /// `dDirection`, adds ∂L/∂d² and ∂L/∂d0², and adds ∂L/∂θ into `grad`.
    static func backward(_ w: EGNNWorkspace, layer l: Int, _ p: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let h = UnsafePointer(w.h[l + 1].pointer), dh = w.dh.pointer
        let dx = UnsafePointer(w.dx.pointer)
        let u = UnsafePointer(w.direction[l].pointer), du = w.dDirection.pointer
        let t = UnsafePointer(w.coordTanh[l].pointer)
        let scale = w.configuration.coordinatesRange / w.configuration.normalizationFactor
        // ∂L/∂t_e = (R/Z)⟨dx_i, u_e⟩, ∂L/∂u_e = (R/Z) t_e dx_i, ∂L/∂φ_e = ∂L/∂t_e (1 − t_e²);
        // dy2 = ∂L/∂φ w3 ⊙ SiLU′(y2) → edgeC: [E, H]; dw3 += Σ_e ∂L/∂φ_e b2_e
        let b2 = UnsafePointer(w.coordB2[l].pointer), s2 = UnsafePointer(w.coordS2[l].pointer), dy2 = w.edgeC.pointer
        EdgeKernels.tanhProjectedSumBackward(
            edges: w.edges, dx, directions: u, tanh: t, b2, sigmoid: s2, width: hd, weights: p + b.coordW3,
            scale: scale, dDirections: du, dy: dy2, dWeights: grad + b.coordW3)
        // dV2 += b1ᵀ·dy2, dc2 += Σ dy2
        let b1 = UnsafePointer(w.coordB1[l].pointer)
        BLAS.gemm(hd, hd, e, b1, lda: hd, transposeA: true, dy2, ldb: hd, grad + b.coordW2, ldc: hd, beta: 1)
        Kernels.addColumnSums(dy2, rows: e, width: hd, into: grad + b.coordB2)
        // db1 = dy2·V2ᵀ → edgeA; dy1 = db1 ⊙ SiLU′(y1) inside the first layer's backward
        let db1 = w.edgeA.pointer
        BLAS.gemm(e, hd, hd, dy2, lda: hd, p + b.coordW2, ldb: hd, transposeB: true, db1, ldc: hd, beta: 0)
        // First layer, split: dQ_a → nodeA, dQ_b → nodeB.
        let dqa = w.nodeA.pointer, dqb = w.nodeB.pointer, v1 = b.coordW1
        EdgeKernels.gatherPairsBackward(
            edges: w.edges, db1, throughSiLU: (b1, UnsafePointer(w.coordS1[l].pointer)), width: hd,
            w.squaredDistance[l].pointer, p + v1 + 2 * hd * hd, w.squaredDistance[0].pointer, p + v1 + (2 * hd + 1) * hd,
            da: dqa, db: dqb, dc: grad + v1 + 2 * hd * hd, dd: grad + v1 + (2 * hd + 1) * hd, dbias: grad + b.coordB1,
            ds: w.dSquaredDistance.pointer, dt: w.dInputSquaredDistance.pointer)
        BLAS.gemm(hd, hd, n, h, lda: hd, transposeA: true, dqa, ldb: hd, grad + v1, ldc: hd, beta: 1)
        BLAS.gemm(hd, hd, n, h, lda: hd, transposeA: true, dqb, ldb: hd, grad + v1 + hd * hd, ldc: hd, beta: 1)
        BLAS.gemm(n, hd, hd, dqa, lda: hd, p + v1, ldb: hd, transposeB: true, dh, ldc: hd, beta: 1)
        BLAS.gemm(n, hd, hd, dqb, lda: hd, p + v1 + hd * hd, ldb: hd, transposeB: true, dh, ldc: hd, beta: 1)
    }
}
