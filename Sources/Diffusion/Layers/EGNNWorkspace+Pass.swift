/// The whole network on one worker's share: loading the input, the forward
/// pass (embedding, L blocks, output layer) and the backward pass.
extension EGNNWorkspace {
    /// Copies graphs `graphs` of `input` into this workspace and builds their edges.
    func load(_ input: DenoiserInput, graphs: Range<Int>) {
        let c = configuration
        let offsets = input.layout.nodeOffsets
        let first = offsets[graphs.lowerBound], nodes = offsets[graphs.upperBound] - first
        let local = input.layout.slice(graphs: graphs)
        let x0 = x[0].reserve(nodes * 3)
        input.positions.withUnsafeBufferPointer { pos in
            for k in 0 ..< nodes * 3 { x0[k] = pos[first * 3 + k] }
        }
        switch c.connectivity {
        case .fullyConnected:
            if local != layout || edges.nodeCount != nodes { edges.rebuildFullyConnected(local) }
        case .nearestNeighbours(let k):
            edges.rebuildNearestNeighbours(k: k, layout: local, positions: Array(UnsafeBufferPointer(start: x0, count: nodes * 3)))
        }
        resize(layout: local)
        // Embedding input rows: [h, (x − x̄ if .translation), t, c]: [N, Fin]
        let fin = c.embeddingInputWidth, f = c.featureWidth, cw = c.conditionWidth
        let row = embeddingInput.pointer, xs = x[0].pointer
        input.features.withUnsafeBufferPointer { feat in
            for g in 0 ..< local.graphCount {
                let global = graphs.lowerBound + g
                let range = local.nodes(ofGraph: g)
                var mean: (Float, Float, Float) = (0, 0, 0)
                if c.symmetry == .translation { mean = Self.mean(xs, range) }
                for i in range {
                    let r = row + i * fin
                    for k in 0 ..< f { r[k] = feat[(first + i) * f + k] }
                    var col = f
                    if c.symmetry == .translation {
                        r[col] = xs[3 * i] - mean.0; r[col + 1] = xs[3 * i + 1] - mean.1; r[col + 2] = xs[3 * i + 2] - mean.2
                        col += 3
                    }
                    r[col] = input.time[global]
                    for k in 0 ..< cw { r[col + 1 + k] = input.condition[global * cw + k] }
                }
            }
        }
    }

    static func mean(_ x: UnsafePointer<Float>, _ nodes: Range<Int>) -> (Float, Float, Float) {
        guard !nodes.isEmpty else { return (0, 0, 0) }
        var s: (Float, Float, Float) = (0, 0, 0)
        for i in nodes { s.0 += x[3 * i]; s.1 += x[3 * i + 1]; s.2 += x[3 * i + 2] }
        let inv = 1 / Float(nodes.count)
        return (s.0 * inv, s.1 * inv, s.2 * inv)
    }

    /// Removes each graph's mean from v `[N, 3]`, in place.
    func removeMean(_ v: UnsafeMutablePointer<Float>) {
        for g in 0 ..< layout.graphCount {
            let range = layout.nodes(ofGraph: g)
            let m = Self.mean(v, range)
            for i in range { v[3 * i] -= m.0; v[3 * i + 1] -= m.1; v[3 * i + 2] -= m.2 }
        }
    }

    /// Forward pass; writes ε̂_x `[N, 3]` and ε̂_h `[N, F]` at the given pointers.
    func forward(_ p: UnsafePointer<Float>, positions: UnsafeMutablePointer<Float>, features: UnsafeMutablePointer<Float>) {
        let c = configuration, n = nodeCount, hd = hidden, blocks = parameters
        // h_0 = [h, t, c]·W_emb + b_emb: [N, H]
        BLAS.gemm(n, hd, c.embeddingInputWidth, embeddingInput.pointer, lda: c.embeddingInputWidth,
                  p + blocks.embeddingW, ldb: hd, h[0].pointer, ldc: hd, beta: 0)
        Kernels.addRowVector(p + blocks.embeddingB, to: h[0].pointer, rows: n, width: hd)
        for l in 0 ..< c.layers {
            EdgeGeometry.forward(edges: edges, x: x[l].pointer,
                                 squaredDistance: squaredDistance[l].pointer, direction: direction[l].pointer)
            GraphConvolution.forward(self, layer: l, p)
            CoordinateUpdate.forward(self, layer: l, p)
        }
        // out = h_L·W_out + b_out: [N, Fout]; ε̂_h = out[:, :F]
        let fout = c.embeddingOutputWidth, f = c.featureWidth
        BLAS.gemm(n, fout, hd, h[c.layers].pointer, lda: hd, p + blocks.outputW, ldb: fout, output.pointer, ldc: fout, beta: 0)
        Kernels.addRowVector(p + blocks.outputB, to: output.pointer, rows: n, width: fout)
        for i in 0 ..< n {
            for k in 0 ..< f { features[i * f + k] = output.pointer[i * fout + k] }
        }
        // ε̂_x = x_L − x_0, each graph's mean removed: [N, 3]
        let xl = x[c.layers].pointer, x0 = x[0].pointer
        for k in 0 ..< n * 3 { positions[k] = xl[k] - x0[k] }
        removeMean(positions)
    }

    /// Backward pass from ∂L/∂ε̂_x `[N, 3]` and ∂L/∂ε̂_h `[N, F]`: adds ∂L/∂θ
    /// into `grad` and, when asked, writes ∂L/∂z_x `[N, 3]` and ∂L/∂z_h `[N, F]`.
    func backward(
        _ p: UnsafePointer<Float>, grad: UnsafeMutablePointer<Float>,
        dPositions: UnsafePointer<Float>, dFeatures: UnsafePointer<Float>,
        inputGradient: (positions: UnsafeMutablePointer<Float>, features: UnsafeMutablePointer<Float>)?
    ) {
        let c = configuration, n = nodeCount, hd = hidden, blocks = parameters
        let fout = c.embeddingOutputWidth, f = c.featureWidth
        // Mean removal is a symmetric projection: ∂L/∂x_L = P(g), ∂L/∂x_0 (direct) = −P(g).
        let dxl = dx.pointer, direct = dxDirect.pointer
        dxl.update(from: dPositions, count: n * 3)
        removeMean(dxl)
        for k in 0 ..< n * 3 { direct[k] = -dxl[k] }
        // dW_out[:, :F] += h_Lᵀ·dε̂_h, db_out[:F] += Σ dε̂_h, dh_L = dε̂_h·W_out[:, :F]ᵀ
        let hl = UnsafePointer(h[c.layers].pointer)
        BLAS.gemm(hd, f, n, hl, lda: hd, transposeA: true, dFeatures, ldb: f, grad + blocks.outputW, ldc: fout, beta: 1)
        Kernels.addColumnSums(dFeatures, rows: n, width: f, into: grad + blocks.outputB)
        BLAS.gemm(n, hd, f, dFeatures, lda: f, p + blocks.outputW, ldb: fout, transposeB: true, dh.pointer, ldc: hd, beta: 0)
        dInputSquaredDistance.pointer.zero(edgeCount)
        for l in stride(from: c.layers - 1, through: 0, by: -1) {
            dSquaredDistance.pointer.zero(edgeCount)
            CoordinateUpdate.backward(self, layer: l, p, grad)
            GraphConvolution.backward(self, layer: l, p, grad)
            if l == 0 {
                let d = dSquaredDistance.pointer, d0 = dInputSquaredDistance.pointer
                for e in 0 ..< edgeCount { d[e] += d0[e] }
            }
            EdgeGeometry.backward(edges: edges, x: x[l].pointer, dSquaredDistance: dSquaredDistance.pointer,
                                  dDirection: dDirection.pointer, dx: dxl)
        }
        // dW_emb += inputᵀ·dh_0, db_emb += Σ dh_0
        let fin = c.embeddingInputWidth
        BLAS.gemm(fin, hd, n, embeddingInput.pointer, lda: fin, transposeA: true, dh.pointer, ldb: hd,
                  grad + blocks.embeddingW, ldc: hd, beta: 1)
        Kernels.addColumnSums(dh.pointer, rows: n, width: hd, into: grad + blocks.embeddingB)
        guard let inputGradient else { return }
        // ∂L/∂input = dh_0·W_embᵀ: [N, Fin]
        let din = dEmbeddingInput.pointer
        BLAS.gemm(n, fin, hd, dh.pointer, lda: hd, p + blocks.embeddingW, ldb: hd, transposeB: true, din, ldc: fin, beta: 0)
        for i in 0 ..< n {
            for k in 0 ..< f { inputGradient.features[i * f + k] = din[i * fin + k] }
        }
        let gx = inputGradient.positions
        if c.symmetry == .translation {
            // The centred positions x − x̄ entered as features: their gradient, mean removed.
            for i in 0 ..< n { for k in 0 ..< 3 { gx[3 * i + k] = din[i * fin + f + k] } }
            removeMean(gx)
        } else {
            gx.zero(n * 3)
        }
        for k in 0 ..< n * 3 { gx[k] += dxl[k] + direct[k] }
    }
}
