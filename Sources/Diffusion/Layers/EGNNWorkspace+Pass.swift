/// The whole network on one worker's share: loading the input, the forward
/// pass (embedding, L blocks, output layer) and the backward pass.
extension EGNNWorkspace {
    /// Copies graphs `graphs` of `input` into this workspace and builds their edges.
    func load(_ input: DenoiserInput, graphs: Range<Int>) {
        let c = configuration
        let offsets = input.layout.nodeOffsets
        let first = offsets[graphs.lowerBound], nodes = offsets[graphs.upperBound] - first
        let local = input.layout.slice(graphs: graphs)
        x[0].reserve(nodes * 3)
        let x0 = x[0].pointer
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

    private static func mean(_ x: UnsafePointer<Float>, _ nodes: Range<Int>) -> (Float, Float, Float) {
        guard !nodes.isEmpty else { return (0, 0, 0) }
        var s: (Float, Float, Float) = (0, 0, 0)
        for i in nodes { s.0 += x[3 * i]; s.1 += x[3 * i + 1]; s.2 += x[3 * i + 2] }
        let inv = 1 / Float(nodes.count)
        return (s.0 * inv, s.1 * inv, s.2 * inv)
    }

    /// Removes each graph's mean from v `[N, 3]`, in place.
    private func removeMean(_ v: UnsafeMutablePointer<Float>) {
        for g in 0 ..< layout.graphCount {
            let range = layout.nodes(ofGraph: g)
            let m = Self.mean(v, range)
            for i in range { v[3 * i] -= m.0; v[3 * i + 1] -= m.1; v[3 * i + 2] -= m.2 }
        }
    }

    /// Forward pass with θ `p` `[1, P]`; writes ε̂_x into `positions` `[N, 3]` and ε̂_h into `features` `[N, F]`.
    func forward(_ p: MatrixView, positions: MutableMatrixView, features: MutableMatrixView) {
        let c = configuration, n = nodeCount, hd = hidden, blocks = parameters
        let fin = c.embeddingInputWidth, fout = c.embeddingOutputWidth, f = c.featureWidth
        precondition(positions.rows == n && positions.columns == 3 && features.rows == n && features.columns == f,
                     "outputs [\(positions.rows), \(positions.columns)] and [\(features.rows), \(features.columns)] for \(n) nodes")
        // h_0 = [h, t, c]·W_emb + b_emb: [N, H]
        let h0 = h[0].matrix(rows: n, columns: hd)
        h0.gemm(embeddingInput.matrix(rows: n, columns: fin), p.matrix(at: blocks.embeddingW, rows: fin, columns: hd), beta: 0)
        Kernels.addRowVector(p.start + blocks.embeddingB, to: h0.start, rows: n, width: hd)
        for l in 0 ..< c.layers {
            EdgeGeometry.forward(edges: edges, x: x[xSlot(l)].pointer,
                                 squaredDistance: squaredDistance[distanceSlot(l)].pointer, direction: direction[slot(l)].pointer)
            GraphConvolution.forward(self, layer: l, p)
            CoordinateUpdate.forward(self, layer: l, p)
        }
        // out = h_L·W_out + b_out: [N, Fout]; ε̂_h = out[:, :F]
        let out = output.matrix(rows: n, columns: fout)
        out.gemm(h[hSlot(c.layers)].matrix(rows: n, columns: hd), p.matrix(at: blocks.outputW, rows: hd, columns: fout), beta: 0)
        Kernels.addRowVector(p.start + blocks.outputB, to: out.start, rows: n, width: fout)
        for i in 0 ..< n {
            for k in 0 ..< f { features[i * f + k] = out[i * fout + k] }
        }
        // ε̂_x = x_L − x_0, each graph's mean removed: [N, 3]
        let xl = x[xSlot(c.layers)].pointer, x0 = x[0].pointer
        for k in 0 ..< n * 3 { positions[k] = xl[k] - x0[k] }
        removeMean(positions.start)
    }

    /// Backward pass from ∂L/∂ε̂_x `dPositions` `[N, 3]` and ∂L/∂ε̂_h `dFeatures` `[N, F]`:
    /// adds ∂L/∂θ into `grad` `[1, P]` and, when asked, writes ∂L/∂z_x `[N, 3]` and ∂L/∂z_h `[N, F]`.
    func backward(
        _ p: MatrixView, grad: MutableMatrixView, dPositions: MatrixView, dFeatures: MatrixView,
        inputGradient: (positions: MutableMatrixView, features: MutableMatrixView)?
    ) {
        let c = configuration, n = nodeCount, hd = hidden, blocks = parameters
        let fin = c.embeddingInputWidth, fout = c.embeddingOutputWidth, f = c.featureWidth
        precondition(dPositions.rows == n && dPositions.columns == 3 && dFeatures.rows == n && dFeatures.columns == f,
                     "output gradients [\(dPositions.rows), \(dPositions.columns)] and [\(dFeatures.rows), \(dFeatures.columns)] for \(n) nodes")
        // Mean removal is a symmetric projection: ∂L/∂x_L = P(g), ∂L/∂x_0 (direct) = −P(g).
        let dxl = dx.pointer, direct = dxDirect.pointer
        dxl.update(from: dPositions.start, count: n * 3)
        removeMean(dxl)
        for k in 0 ..< n * 3 { direct[k] = -dxl[k] }
        // dW_out[:, :F] += h_Lᵀ·dε̂_h, db_out[:F] += Σ dε̂_h, dh_L = dε̂_h·W_out[:, :F]ᵀ
        let hl = h[c.layers].matrix(rows: n, columns: hd), dh = self.dh.matrix(rows: n, columns: hd)
        grad.matrix(at: blocks.outputW, rows: hd, columns: fout).columns(0 ..< f).gemm(hl.transposed, dFeatures, beta: 1)
        Kernels.addColumnSums(dFeatures.start, rows: n, width: f, into: grad.start + blocks.outputB)
        dh.gemm(dFeatures, p.matrix(at: blocks.outputW, rows: hd, columns: fout).columns(0 ..< f).transposed, beta: 0)
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
        let input = embeddingInput.matrix(rows: n, columns: fin)
        grad.matrix(at: blocks.embeddingW, rows: fin, columns: hd).gemm(input.transposed, dh, beta: 1)
        Kernels.addColumnSums(dh.start, rows: n, width: hd, into: grad.start + blocks.embeddingB)
        guard let inputGradient else { return }
        // ∂L/∂input = dh_0·W_embᵀ: [N, Fin]
        let din = dEmbeddingInput.matrix(rows: n, columns: fin)
        din.gemm(dh, p.matrix(at: blocks.embeddingW, rows: fin, columns: hd).transposed, beta: 0)
        let gh = inputGradient.features
        for i in 0 ..< n {
            for k in 0 ..< f { gh[i * f + k] = din[i * fin + k] }
        }
        let gx = inputGradient.positions
        if c.symmetry == .translation {
            // The centred positions x − x̄ entered as features: their gradient, mean removed.
            for i in 0 ..< n { for k in 0 ..< 3 { gx[3 * i + k] = din[i * fin + f + k] } }
            removeMean(gx.start)
        } else {
            gx.start.zero(n * 3)
        }
        for k in 0 ..< n * 3 { gx[k] += dxl[k] + direct[k] }
    }
}
