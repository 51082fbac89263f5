/// Growing a trained EGNN into a wider and deeper one that computes exactly the
/// same function (in the spirit of Chen et al. 2016's Net2Net, with zero
/// read-out weights instead of duplicated units), so training continues from
/// what the small network learned instead of from scratch.
///
/// Old hidden width H, new H′ ≥ H; old layers L, new L′ ≥ L. Every weight
/// matrix `[in, out]` keeps the old one in its top-left corner (the d², d0²
/// rows of the first edge and coordinate layers move to 2H′, 2H′+1). Units
/// and channels beyond H keep their fresh random weights on the *write* side
/// (the columns that compute them) and get zero weights on the *read* side
/// wherever an old unit or the output reads them:
///   rows of new h channels → old columns of edge W1, node W1, coordinate V1, and all of the output layer,
///   rows of new edge units → old columns of edge W2; new message units → attention w and old columns of node W1,
///   rows of new node units → old columns of node W2; new coordinate units → old columns of V2 and w3.
/// So new channels carry signals nothing reads yet, and their read-out weights
/// get a non-zero gradient from the first step. The L′ − L new blocks sit
/// between the old ones, each an identity: its node W2 and b2 are zero on the
/// old channels and its w3 is zero (tanh 0 = 0 moves no atom).
///
/// New condition channels (C′ ≥ C; an unconditional model fine-tuned into a
/// conditional one) enter at the end of the embedding's input [z_h, (x), t, c]: their
/// rows of the embedding are zero, so the grown network ignores the condition until
/// training gives those rows weight; the output layer's extra columns are dropped
/// (EDM keeps them for its parameter count) and keep their initial values.
extension EGNNConfiguration {
    /// Whether `EGNN.grown(from:parameters:initial:)` can embed this network in `larger`:
    /// at least as many layers, units and condition channels, every other setting the same
    /// (or `larger` is this).
    public func grows(into larger: EGNNConfiguration) -> Bool {
        var same = self
        same.layers = larger.layers
        same.hidden = larger.hidden
        same.conditionWidth = larger.conditionWidth
        return same == larger && layers <= larger.layers && hidden <= larger.hidden && conditionWidth <= larger.conditionWidth
    }
}

extension EGNN {
    /// Which of this network's L′ blocks the old block `k` of `layers` becomes:
    /// spread evenly, the first stays first (4 → 8: 0, 2, 4, 6).
    static func grownBlockIndex(_ k: Int, from layers: Int, to newLayers: Int) -> Int {
        k * newLayers / layers
    }

    /// This network's parameters computing what `source` computes with
    /// `parameters`: the old weights embedded in `initial` (this network's fresh
    /// initialisation, e.g. `initialParameters(using:)`) as described above.
    /// Throws unless this network is `source` with at least its layers and
    /// hidden width, the other settings equal.
    public func grown(from source: EGNNConfiguration, parameters: [Float], initial: [Float]) throws -> [Float] {
        let c = configuration
        guard source.grows(into: c) else {
            throw DiffusionError.invalidConfiguration(
                "an EGNN of \(source.layers) × \(source.hidden) (condition width \(source.conditionWidth)) grows only into one with as many layers, units and condition channels or more and otherwise the same settings, not \(c.layers) × \(c.hidden) (condition width \(c.conditionWidth))")
        }
        let old = EGNNParameterLayout(source)
        guard parameters.count == old.count, initial.count == layout.count else {
            throw DiffusionError.invalidConfiguration(
                "\(parameters.count) weights for a \(source.layers) × \(source.hidden) EGNN of \(old.count), \(initial.count) initial weights for one of \(layout.count)")
        }
        let h = source.hidden, hn = c.hidden, blocks = c.globalPooling.nodeInputBlocks
        var p = initial

        /// Copies the old `[rows, cols]` matrix at `from` into the new one at `to`
        /// (`newCols` wide), old row r landing on `rowMap(r)`, and zeroes the
        /// new input rows (`isNewRow`) in the old columns.
        func embed(_ from: Int, rows: Int, cols: Int, into to: Int, newRows: Int, newCols: Int,
                   rowMap: (Int) -> Int, isNewRow: (Int) -> Bool) {
            for r in 0 ..< newRows where isNewRow(r) {
                for col in 0 ..< cols { p[to + r * newCols + col] = 0 }
            }
            for r in 0 ..< rows {
                let target = to + rowMap(r) * newCols
                for col in 0 ..< cols { p[target + col] = parameters[from + r * cols + col] }
            }
        }
        func copyVector(_ from: Int, _ n: Int, into to: Int) {
            for k in 0 ..< n { p[to + k] = parameters[from + k] }
        }
        /// Rows `[h_i, h_j, d², d0²]` of a first pair layer: `2H + 2` → `2H′ + 2`.
        let pairRow: (Int) -> Int = { r in r < h ? r : r < 2 * h ? hn + r - h : 2 * hn + r - 2 * h }
        let isNewPairRow: (Int) -> Bool = { r in r < 2 * hn && r % hn >= h }
        /// Rows of `blocks` stacked H-wide inputs.
        let stackedRow: (Int) -> Int = { r in (r / h) * hn + r % h }
        let isNewStackedRow: (Int) -> Bool = { r in r % hn >= h }
        let identity: (Int) -> Int = { $0 }
        let isNewUnit: (Int) -> Bool = { $0 >= h }

        // Old input rows keep their place; new condition rows (at the end) are zero.
        let fin = source.embeddingInputWidth, newFin = c.embeddingInputWidth
        let fout = source.embeddingOutputWidth, newFout = c.embeddingOutputWidth
        embed(old.embeddingW, rows: fin, cols: h, into: layout.embeddingW, newRows: newFin, newCols: hn,
              rowMap: identity, isNewRow: { $0 >= fin })
        copyVector(old.embeddingB, h, into: layout.embeddingB)
        var grownBlocks = Set<Int>()
        /// The two-layer pair MLP on [h_i, h_j, d², d0²] of the GCL's messages and of the coordinate update.
        func embedPairMLP(_ w1: Int, _ b1: Int, _ w2: Int, _ b2: Int, into n1: Int, _ nb1: Int, _ n2: Int, _ nb2: Int) {
            embed(w1, rows: 2 * h + 2, cols: h, into: n1, newRows: 2 * hn + 2, newCols: hn, rowMap: pairRow, isNewRow: isNewPairRow)
            copyVector(b1, h, into: nb1)
            embed(w2, rows: h, cols: h, into: n2, newRows: hn, newCols: hn, rowMap: identity, isNewRow: isNewUnit)
            copyVector(b2, h, into: nb2)
        }
        for k in 0 ..< source.layers {
            let a = old.blocks[k], index = Self.grownBlockIndex(k, from: source.layers, to: c.layers)
            let b = layout.blocks[index]
            grownBlocks.insert(index)
            embedPairMLP(a.edgeW1, a.edgeB1, a.edgeW2, a.edgeB2, into: b.edgeW1, b.edgeB1, b.edgeW2, b.edgeB2)
            for u in 0 ..< hn { p[b.attentionW + u] = u < h ? parameters[a.attentionW + u] : 0 }
            p[b.attentionB] = parameters[a.attentionB]
            embed(a.nodeW1, rows: blocks * h, cols: h, into: b.nodeW1, newRows: blocks * hn, newCols: hn,
                  rowMap: stackedRow, isNewRow: isNewStackedRow)
            copyVector(a.nodeB1, h, into: b.nodeB1)
            embed(a.nodeW2, rows: h, cols: h, into: b.nodeW2, newRows: hn, newCols: hn, rowMap: identity, isNewRow: isNewUnit)
            copyVector(a.nodeB2, h, into: b.nodeB2)
            embedPairMLP(a.coordW1, a.coordB1, a.coordW2, a.coordB2, into: b.coordW1, b.coordB1, b.coordW2, b.coordB2)
            for u in 0 ..< hn { p[b.coordW3 + u] = u < h ? parameters[a.coordW3 + u] : 0 }
        }
        // New blocks: identities on the old channels, moving no atom.
        for index in 0 ..< c.layers where !grownBlocks.contains(index) {
            let b = layout.blocks[index]
            for r in 0 ..< hn { for col in 0 ..< h { p[b.nodeW2 + r * hn + col] = 0 } }
            for col in 0 ..< h { p[b.nodeB2 + col] = 0 }
            for u in 0 ..< hn { p[b.coordW3 + u] = 0 }
        }
        embed(old.outputW, rows: h, cols: fout, into: layout.outputW, newRows: hn, newCols: newFout,
              rowMap: identity, isNewRow: isNewUnit)
        copyVector(old.outputB, fout, into: layout.outputB)
        return p
    }
}
