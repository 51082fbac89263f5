/// EDM's GCL (egnn_new.py, one invariant sublayer; Satorras et al. 2021, eq. 3, 5, 6):
///   m_ij = SiLU(W2 · SiLU(W1 · [h_i, h_j, d²_ij, d0²_ij] + b1) + b2)
///   m_ij ← m_ij · σ(w_a · m_ij + b_a)                       (attention gate)
///   h_i ← h_i + φ_h([h_i, Σ_j m_ij / Z])                      (φ_h: Linear, SiLU, Linear)
/// or, with `GlobalPooling.mean`, φ_h([h_i, Σ_j m_ij / Z, mean_{j∈g(i)} h_j]) (in
/// `GraphConvolution+GlobalPooling.swift`).
/// The first edge layer is split by linearity: W1·[h_i, h_j, …] = (h·W_a)_i + (h·W_b)_j + …,
/// two products over N nodes instead of one over E edges.
enum GraphConvolution {
    /// h_l → h_{l+1}, using d²_l and d0² (`squaredDistance[l]`, `[0]`).
    static func forward(_ w: EGNNWorkspace, layer l: Int, _ p: UnsafePointer<Float>) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let hIn = UnsafePointer(w.h[l].pointer), hOut = w.h[l + 1].pointer
        let pa = w.nodeA.pointer, pb = w.nodeB.pointer
        // P_a = h·W_a, P_b = h·W_b: [N, H]
        BLAS.gemm(n, hd, hd, hIn, lda: hd, p + b.edgeW1, ldb: hd, pa, ldc: hd, beta: 0)
        BLAS.gemm(n, hd, hd, hIn, lda: hd, p + b.edgeW1 + hd * hd, ldb: hd, pb, ldc: hd, beta: 0)
        // a1 = SiLU(z1), σ(z1) kept, z1 = P_a[i] + P_b[j] + w_c d² + w_d d0² + b1: [E, H] (z1 not stored)
        let a1 = w.edgeA1[l].pointer
        EdgeKernels.gatherPairsSiLU(
            edges: w.edges, pa, pb, w.squaredDistance[l].pointer, p + b.edgeW1 + 2 * hd * hd,
            w.squaredDistance[0].pointer, p + b.edgeW1 + (2 * hd + 1) * hd, p + b.edgeB1,
            silu: a1, sigmoid: w.keepsActivations ? w.edgeS1[l].pointer : nil, width: hd)
        // z2 = a1·W2 + b2 (scratch), m0 = SiLU(z2), σ(z2) kept: [E, H]
        let z2 = w.edgeB.pointer, m0 = w.edgeM0[l].pointer
        BLAS.gemm(e, hd, hd, a1, lda: hd, p + b.edgeW2, ldb: hd, z2, ldc: hd, beta: 0)
        if w.keepsActivations {
            Kernels.addBiasSiLUKeepingSigmoid(p + b.edgeB2, z2, m0, w.edgeS2[l].pointer, rows: e, width: hd)
        } else {
            Kernels.addBiasSiLU(p + b.edgeB2, z2, m0, rows: e, width: hd)
        }
        // g = σ(m0·w_a + b_a): [E]; agg_i = Σ_{e→i} g_e m0_e / Z: [N, H]
        let gate = w.gate[l].pointer, agg = w.aggregate[l].pointer
        let scale = 1 / w.configuration.normalizationFactor
        EdgeKernels.gatedSum(
            edges: w.edges, m0, width: hd, gateWeights: p + b.attentionW, gateBias: p[b.attentionB], scale: scale,
            gate: gate, into: agg)
        // q1 = h·Wn_h + agg·Wn_m (+ μ_{g(i)}·Wn_μ) + bn1: [N, H]; r1 = SiLU(q1)
        let q1 = w.nodeQ1[l].pointer, r1 = w.nodeC.pointer
        BLAS.gemm(n, hd, hd, hIn, lda: hd, p + b.nodeW1, ldb: hd, q1, ldc: hd, beta: 0)
        BLAS.gemm(n, hd, hd, agg, lda: hd, p + b.nodeW1 + hd * hd, ldb: hd, q1, ldc: hd, beta: 1)
        if w.configuration.globalPooling == .mean { addPooledContext(w, layer: l, p, to: q1) }
        Kernels.addBiasSiLU(p + b.nodeB1, q1, r1, rows: n, width: hd)
        // h_{l+1} = h_l + r1·Wn2 + bn2: [N, H]
        hOut.update(from: hIn, count: n * hd)
        BLAS.gemm(n, hd, hd, r1, lda: hd, p + b.nodeW2, ldb: hd, hOut, ldc: hd, beta: 1)
        Kernels.addRowVector(p + b.nodeB2, to: hOut, rows: n, width: hd)
    }

    /// Given `dh` = ∂L/∂h_{l+1} `[N, H]`, leaves ∂L/∂h_l in `dh`, adds ∂L/∂θ into
    /// `grad`, ∂L/∂d²_l into `dSquaredDistance` and ∂L/∂d0² into `dInputSquaredDistance`.
    static func backward(_ w: EGNNWorkspace, layer l: Int, _ p: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let hIn = UnsafePointer(w.h[l].pointer), dh = w.dh.pointer
        let agg = UnsafePointer(w.aggregate[l].pointer)
        // Node MLP. r1 = SiLU(q1) → nodeC, SiLU′(q1) → nodeB.
        let r1 = w.nodeC.pointer, s1 = w.nodeB.pointer, dq1 = w.nodeA.pointer
        Kernels.siluAndDerivative(w.nodeQ1[l].pointer, r1, s1, count: n * hd)
        // dWn2 += r1ᵀ·dh, dbn2 += Σ dh, dr1 = dh·Wn2ᵀ: [N, H]
        BLAS.gemm(hd, hd, n, r1, lda: hd, transposeA: true, dh, ldb: hd, grad + b.nodeW2, ldc: hd, beta: 1)
        Kernels.addColumnSums(dh, rows: n, width: hd, into: grad + b.nodeB2)
        BLAS.gemm(n, hd, hd, dh, lda: hd, p + b.nodeW2, ldb: hd, transposeB: true, dq1, ldc: hd, beta: 0)
        Kernels.multiply(dq1, by: s1, count: n * hd)
        // dWn1 += [h, agg]ᵀ·dq1, dbn1 += Σ dq1; dh += dq1·Wn_hᵀ (residual kept); dagg = dq1·Wn_mᵀ → nodeB
        BLAS.gemm(hd, hd, n, hIn, lda: hd, transposeA: true, dq1, ldb: hd, grad + b.nodeW1, ldc: hd, beta: 1)
        BLAS.gemm(hd, hd, n, agg, lda: hd, transposeA: true, dq1, ldb: hd, grad + b.nodeW1 + hd * hd, ldc: hd, beta: 1)
        Kernels.addColumnSums(dq1, rows: n, width: hd, into: grad + b.nodeB1)
        BLAS.gemm(n, hd, hd, dq1, lda: hd, p + b.nodeW1, ldb: hd, transposeB: true, dh, ldc: hd, beta: 1)
        let dagg = w.nodeB.pointer
        BLAS.gemm(n, hd, hd, dq1, lda: hd, p + b.nodeW1 + hd * hd, ldb: hd, transposeB: true, dagg, ldc: hd, beta: 0)
        // With pooling: dWn_μ, and dh_j += (1/N_g) Σ_{i∈g} (dq1·Wn_μᵀ)_i
        if w.configuration.globalPooling == .mean { addPooledContextBackward(w, layer: l, p, dq1: dq1, grad, dh: dh) }

        // Gate and second edge layer: dz2 = (dm g + dlogit w_a) ⊙ SiLU′(z2) → edgeC.
        let m0 = UnsafePointer(w.edgeM0[l].pointer), s2 = UnsafePointer(w.edgeS2[l].pointer), dz2 = w.edgeC.pointer
        let gate = UnsafePointer(w.gate[l].pointer)
        let scale = 1 / w.configuration.normalizationFactor
        let dba = EdgeKernels.gatedSumBackward(
            edges: w.edges, dagg, width: hd, m0, sigmoid: s2, gate: gate, gateWeights: p + b.attentionW, scale: scale,
            dz: dz2, dGateWeights: grad + b.attentionW)
        grad[b.attentionB] += dba
        // dW2 += a1ᵀ·dz2, db2 += Σ dz2
        let a1 = UnsafePointer(w.edgeA1[l].pointer)
        BLAS.gemm(hd, hd, e, a1, lda: hd, transposeA: true, dz2, ldb: hd, grad + b.edgeW2, ldc: hd, beta: 1)
        Kernels.addColumnSums(dz2, rows: e, width: hd, into: grad + b.edgeB2)
        // da1 = dz2·W2ᵀ → edgeA; dz1 = da1 ⊙ SiLU′(z1) inside the first layer's backward
        let da1 = w.edgeA.pointer
        BLAS.gemm(e, hd, hd, dz2, lda: hd, p + b.edgeW2, ldb: hd, transposeB: true, da1, ldc: hd, beta: 0)
        // First edge layer, split: dP_a → nodeA, dP_b → nodeC.
        let dpa = w.nodeA.pointer, dpb = w.nodeC.pointer
        let w1 = b.edgeW1
        EdgeKernels.gatherPairsBackward(
            edges: w.edges, da1, throughSiLU: (a1, UnsafePointer(w.edgeS1[l].pointer)), width: hd,
            w.squaredDistance[l].pointer, p + w1 + 2 * hd * hd, w.squaredDistance[0].pointer, p + w1 + (2 * hd + 1) * hd,
            da: dpa, db: dpb, dc: grad + w1 + 2 * hd * hd, dd: grad + w1 + (2 * hd + 1) * hd, dbias: grad + b.edgeB1,
            ds: w.dSquaredDistance.pointer, dt: w.dInputSquaredDistance.pointer)
        BLAS.gemm(hd, hd, n, hIn, lda: hd, transposeA: true, dpa, ldb: hd, grad + w1, ldc: hd, beta: 1)
        BLAS.gemm(hd, hd, n, hIn, lda: hd, transposeA: true, dpb, ldb: hd, grad + w1 + hd * hd, ldc: hd, beta: 1)
        BLAS.gemm(n, hd, hd, dpa, lda: hd, p + w1, ldb: hd, transposeB: true, dh, ldc: hd, beta: 1)
        BLAS.gemm(n, hd, hd, dpb, lda: hd, p + w1 + hd * hd, ldb: hd, transposeB: true, dh, ldc: hd, beta: 1)
    }
}
