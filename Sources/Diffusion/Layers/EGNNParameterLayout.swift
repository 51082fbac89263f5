/// Where each weight sits in the flat parameter vector. Matrices are
/// row-major `[in, out]` (y = x·W + b).
///
/// Order: embedding (W `[Fin, H]`, b `[H]`); per layer the GCL
/// (edge W1 `[2H+2, H]`, b1, W2 `[H, H]`, b2, attention w `[H]`, b `[1]`,
/// node W1 `[2H, H]` — `[3H, H]` with `.mean` global pooling — b1,
/// W2 `[H, H]`, b2) then the coordinate MLP (W1 `[2H+2, H]`, b1, W2 `[H, H]`,
/// b2, w3 `[H]`, no bias); then the output layer (W `[H, Fout]`, b `[Fout]`).
/// Rows of the edge W1: h_i (0..<H), h_j (H..<2H), d² (2H), d0² (2H+1) —
/// EDM's concatenation order. Rows of the node W1: h_i (0..<H), agg_i
/// (H..<2H), then with pooling the graph's mean h (2H..<3H).
struct EGNNParameterLayout: Sendable {
    struct Block: Sendable {
        // Graph convolution (GCL).
        var edgeW1 = 0, edgeB1 = 0, edgeW2 = 0, edgeB2 = 0, attentionW = 0, attentionB = 0
        var nodeW1 = 0, nodeB1 = 0, nodeW2 = 0, nodeB2 = 0
        // Equivariant coordinate update.
        var coordW1 = 0, coordB1 = 0, coordW2 = 0, coordB2 = 0, coordW3 = 0
    }

    let embeddingW: Int, embeddingB: Int
    let blocks: [Block]
    let outputW: Int, outputB: Int
    let count: Int

    init(_ c: EGNNConfiguration) {
        let h = c.hidden, nodeInput = c.globalPooling.nodeInputBlocks * h
        var next = 0
        func take(_ n: Int) -> Int { defer { next += n }; return next }
        embeddingW = take(c.embeddingInputWidth * h)
        embeddingB = take(h)
        var blocks: [Block] = []
        for _ in 0 ..< c.layers {
            var b = Block()
            b.edgeW1 = take((2 * h + 2) * h); b.edgeB1 = take(h)
            b.edgeW2 = take(h * h); b.edgeB2 = take(h)
            b.attentionW = take(h); b.attentionB = take(1)
            b.nodeW1 = take(nodeInput * h); b.nodeB1 = take(h)
            b.nodeW2 = take(h * h); b.nodeB2 = take(h)
            b.coordW1 = take((2 * h + 2) * h); b.coordB1 = take(h)
            b.coordW2 = take(h * h); b.coordB2 = take(h)
            b.coordW3 = take(h)
            blocks.append(b)
        }
        self.blocks = blocks
        outputW = take(h * c.embeddingOutputWidth)
        outputB = take(c.embeddingOutputWidth)
        count = next
    }

    /// Fills `p` with PyTorch's `nn.Linear` default, U(±1/√fan_in) for weight
    /// and bias, and Xavier-uniform with gain 0.001 for the coordinate MLP's
    /// last layer (EDM's EquivariantUpdate).
    func initialise<G: RandomNumberGenerator>(_ p: inout [Float], _ c: EGNNConfiguration, using generator: inout G) {
        p = [Float](repeating: 0, count: count)
        let h = c.hidden, nodeInput = c.globalPooling.nodeInputBlocks * h
        func uniform(_ offset: Int, _ n: Int, bound: Float) {
            for k in 0 ..< n { p[offset + k] = Float.random(in: -bound ... bound, using: &generator) }
        }
        func linear(_ w: Int, _ b: Int?, fanIn: Int, fanOut: Int) {
            let bound = 1 / Float(fanIn).squareRoot()
            uniform(w, fanIn * fanOut, bound: bound)
            if let b { uniform(b, fanOut, bound: bound) }
        }
        linear(embeddingW, embeddingB, fanIn: c.embeddingInputWidth, fanOut: h)
        for b in blocks {
            linear(b.edgeW1, b.edgeB1, fanIn: 2 * h + 2, fanOut: h)
            linear(b.edgeW2, b.edgeB2, fanIn: h, fanOut: h)
            linear(b.attentionW, b.attentionB, fanIn: h, fanOut: 1)
            linear(b.nodeW1, b.nodeB1, fanIn: nodeInput, fanOut: h)
            linear(b.nodeW2, b.nodeB2, fanIn: h, fanOut: h)
            linear(b.coordW1, b.coordB1, fanIn: 2 * h + 2, fanOut: h)
            linear(b.coordW2, b.coordB2, fanIn: h, fanOut: h)
            uniform(b.coordW3, h, bound: 0.001 * (6 / Float(h + 1)).squareRoot())
        }
        linear(outputW, outputB, fanIn: h, fanOut: c.embeddingOutputWidth)
    }
}
