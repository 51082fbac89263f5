/// EDM's GCL (egnn_new.py, one invariant sublayer; Satorras et al. 2021, eq. 3, 5, 6):
///   m_ij = SiLU(W2 · SiLU(W1 · [h_i, h_j, d²_ij, d0²_ij] + b1) + b2)
///   m_ij ← m_ij · σ(w_a · m_ij + b_a)                       (attention gate)
///   h_i ← h_i + φ_h([h_i, Σ_j m_ij / Z])                      (φ_h: Linear, SiLU, Linear)
/// or, with `GlobalPooling.mean`, φ_h([h_i, Σ_j m_ij / Z, mean_{j∈g(i)} h_j]) (in
/// `GraphConvolution+GlobalPooling.swift`).
/// The first edge layer is split by linearity: W1·[h_i, h_j, …] = (h·W_a)_i + (h·W_b)_j + …,
/// two products over N nodes instead of one over E edges.
enum GraphConvolution {
    /// h_l → h_{l+1}, using d²_l and d0² (`squaredDistance[l]`, `[0]`); θ is `p` `[1, P]`.
    static func forward(_ w: EGNNWorkspace, layer l: Int, _ p: MatrixView) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let k = w.slot(l), d2 = w.squaredDistance[w.distanceSlot(l)].pointer
        let hIn = w.h[w.hSlot(l)].matrix(rows: n, columns: hd), hOut = w.h[w.hSlot(l + 1)].matrix(rows: n, columns: hd)
        let pa = w.receiverTerm.matrix(rows: n, columns: hd), pb = w.senderTerm.matrix(rows: n, columns: hd)
        // P_a = h·W_a, P_b = h·W_b: [N, H]
        pa.gemm(hIn, p.matrix(at: b.edgeW1, rows: hd, columns: hd), beta: 0)
        pb.gemm(hIn, p.matrix(at: b.edgeW1 + hd * hd, rows: hd, columns: hd), beta: 0)
        // a1 = SiLU(z1), σ(z1) kept, z1 = P_a[i] + P_b[j] + w_c d² + w_d d0² + b1: [E, H] (z1 not stored)
        let a1 = w.edgeA1[k].matrix(rows: e, columns: hd)
        EdgeKernels.gatherPairsSiLU(
            edges: w.edges, pa.start, pb.start, d2, p.start + b.edgeW1 + 2 * hd * hd,
            w.squaredDistance[0].pointer, p.start + b.edgeW1 + (2 * hd + 1) * hd, p.start + b.edgeB1,
            silu: a1.start, sigmoid: w.keepsActivations ? w.edgeS1[l].pointer : nil, width: hd)
        // z2 = a1·W2 + b2, m0 = SiLU(z2), σ(z2) kept: [E, H]
        let z2 = w.edgePreActivation.matrix(rows: e, columns: hd), m0 = w.edgeM0[k].pointer
        z2.gemm(a1, p.matrix(at: b.edgeW2, rows: hd, columns: hd), beta: 0)
        if w.keepsActivations {
            Kernels.addBiasSiLUKeepingSigmoid(p.start + b.edgeB2, z2.start, m0, w.edgeS2[l].pointer, rows: e, width: hd)
        } else {
            Kernels.addBiasSiLU(p.start + b.edgeB2, z2.start, m0, rows: e, width: hd)
        }
        // g = σ(m0·w_a + b_a): [E]; agg_i = Σ_{e→i} g_e m0_e / Z: [N, H]
        let agg = w.aggregate[k].matrix(rows: n, columns: hd)
        let scale = 1 / w.configuration.normalizationFactor
        EdgeKernels.gatedSum(
            edges: w.edges, m0, width: hd, gateWeights: p.start + b.attentionW, gateBias: p[b.attentionB], scale: scale,
            gate: w.gate[k].pointer, into: agg.start)
        // q1 = h·Wn_h + agg·Wn_m (+ μ_{g(i)}·Wn_μ) + bn1: [N, H]; r1 = SiLU(q1)
        let q1 = w.nodeQ1[k].matrix(rows: n, columns: hd), r1 = w.nodeActivation.matrix(rows: n, columns: hd)
        q1.gemm(hIn, p.matrix(at: b.nodeW1, rows: hd, columns: hd), beta: 0)
        q1.gemm(agg, p.matrix(at: b.nodeW1 + hd * hd, rows: hd, columns: hd), beta: 1)
        if w.configuration.globalPooling == .mean { addPooledContext(w, layer: l, p, to: q1) }
        Kernels.addBiasSiLU(p.start + b.nodeB1, q1.start, r1.start, rows: n, width: hd)
        // h_{l+1} = h_l + r1·Wn2 + bn2: [N, H]
        hOut.start.update(from: hIn.start, count: n * hd)
        hOut.gemm(r1, p.matrix(at: b.nodeW2, rows: hd, columns: hd), beta: 1)
        Kernels.addRowVector(p.start + b.nodeB2, to: hOut.start, rows: n, width: hd)
    }

    /// Given `dh` = ∂L/∂h_{l+1} `[N, H]`, leaves ∂L/∂h_l in `dh`, adds ∂L/∂θ into
    /// `grad` `[1, P]`, ∂L/∂d²_l into `dSquaredDistance` and ∂L/∂d0² into `dInputSquaredDistance`.
    static func backward(_ w: EGNNWorkspace, layer l: Int, _ p: MatrixView, _ grad: MutableMatrixView) {
        let b = w.parameters.blocks[l]
        let n = w.nodeCount, e = w.edgeCount, hd = w.hidden
        let hIn = w.h[l].matrix(rows: n, columns: hd), dh = w.dh.matrix(rows: n, columns: hd)
        let agg = w.aggregate[l].matrix(rows: n, columns: hd)
        // Node MLP: r1 = SiLU(q1), SiLU′(q1) → senderTerm, ∂L/∂q1 → receiverTerm (both free until the first edge layer).
        let r1 = w.nodeActivation.matrix(rows: n, columns: hd), s1 = w.senderTerm.matrix(rows: n, columns: hd)
        let dq1 = w.receiverTerm.matrix(rows: n, columns: hd)
        Kernels.siluAndDerivative(w.nodeQ1[l].pointer, r1.start, s1.start, count: n * hd)
        // dWn2 += r1ᵀ·dh, dbn2 += Σ dh, dr1 = dh·Wn2ᵀ: [N, H]
        grad.matrix(at: b.nodeW2, rows: hd, columns: hd).gemm(r1.transposed, dh, beta: 1)
        Kernels.addColumnSums(dh.start, rows: n, width: hd, into: grad.start + b.nodeB2)
        dq1.gemm(dh, p.matrix(at: b.nodeW2, rows: hd, columns: hd).transposed, beta: 0)
        Kernels.multiply(dq1.start, by: s1.start, count: n * hd)
        // dWn1 += [h, agg]ᵀ·dq1, dbn1 += Σ dq1; dh += dq1·Wn_hᵀ (residual kept); dagg = dq1·Wn_mᵀ → senderTerm
        grad.matrix(at: b.nodeW1, rows: hd, columns: hd).gemm(hIn.transposed, dq1, beta: 1)
        grad.matrix(at: b.nodeW1 + hd * hd, rows: hd, columns: hd).gemm(agg.transposed, dq1, beta: 1)
        Kernels.addColumnSums(dq1.start, rows: n, width: hd, into: grad.start + b.nodeB1)
        dh.gemm(dq1, p.matrix(at: b.nodeW1, rows: hd, columns: hd).transposed, beta: 1)
        let dagg = w.senderTerm.matrix(rows: n, columns: hd)
        dagg.gemm(dq1, p.matrix(at: b.nodeW1 + hd * hd, rows: hd, columns: hd).transposed, beta: 0)
        // With pooling: dWn_μ, and dh_j += (1/N_g) Σ_{i∈g} (dq1·Wn_μᵀ)_i
        if w.configuration.globalPooling == .mean { addPooledContextBackward(w, layer: l, p, dq1: dq1, grad, dh: dh) }

        // Gate and second edge layer: dz2 = (dm g + dlogit w_a) ⊙ SiLU′(z2): [E, H]
        let dz2 = w.dEdgePreActivation.matrix(rows: e, columns: hd)
        let scale = 1 / w.configuration.normalizationFactor
        let dba = EdgeKernels.gatedSumBackward(
            edges: w.edges, dagg.start, width: hd, w.edgeM0[l].pointer, sigmoid: w.edgeS2[l].pointer,
            gate: w.gate[l].pointer, gateWeights: p.start + b.attentionW, scale: scale,
            dz: dz2.start, dGateWeights: grad.start + b.attentionW)
        grad[b.attentionB] += dba
        // dW2 += a1ᵀ·dz2, db2 += Σ dz2
        let a1 = w.edgeA1[l].matrix(rows: e, columns: hd)
        grad.matrix(at: b.edgeW2, rows: hd, columns: hd).gemm(a1.transposed, dz2, beta: 1)
        Kernels.addColumnSums(dz2.start, rows: e, width: hd, into: grad.start + b.edgeB2)
        // da1 = dz2·W2ᵀ; dz1 = da1 ⊙ SiLU′(z1) inside the first layer's backward
        let da1 = w.dEdgeActivation.matrix(rows: e, columns: hd)
        da1.gemm(dz2, p.matrix(at: b.edgeW2, rows: hd, columns: hd).transposed, beta: 0)
        // First edge layer, split: dP_a → receiverTerm, dP_b → senderTerm.
        let dpa = w.receiverTerm.matrix(rows: n, columns: hd), dpb = w.senderTerm.matrix(rows: n, columns: hd)
        let w1 = b.edgeW1
        EdgeKernels.gatherPairsBackward(
            edges: w.edges, da1.start, throughSiLU: (UnsafePointer(a1.start), UnsafePointer(w.edgeS1[l].pointer)), width: hd,
            w.squaredDistance[l].pointer, p.start + w1 + 2 * hd * hd, w.squaredDistance[0].pointer,
            p.start + w1 + (2 * hd + 1) * hd,
            da: dpa.start, db: dpb.start, dc: grad.start + w1 + 2 * hd * hd, dd: grad.start + w1 + (2 * hd + 1) * hd,
            dbias: grad.start + b.edgeB1, ds: w.dSquaredDistance.pointer, dt: w.dInputSquaredDistance.pointer)
        grad.matrix(at: w1, rows: hd, columns: hd).gemm(hIn.transposed, dpa, beta: 1)
        grad.matrix(at: w1 + hd * hd, rows: hd, columns: hd).gemm(hIn.transposed, dpb, beta: 1)
        dh.gemm(dpa, p.matrix(at: w1, rows: hd, columns: hd).transposed, beta: 1)
        dh.gemm(dpb, p.matrix(at: w1 + hd * hd, rows: hd, columns: hd).transposed, beta: 1)
    }
}
