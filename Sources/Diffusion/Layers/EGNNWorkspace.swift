/// Every buffer one chunk of the batch needs for a forward and backward pass
/// of the EGNN: the input, the cached activations of each
/// layer (llm.c style: explicit, named, reused across steps) and scratch.
/// Buffers only grow, so a steady training loop allocates nothing.
///
/// Shapes: N nodes, E edges, G graphs, H hidden, L layers, P parameters.
final class EGNNWorkspace {
    let configuration: EGNNConfiguration
    let parameters: EGNNParameterLayout

    /// Whether the forward keeps σ of each SiLU for a backward pass
    /// (`predict` turns it off: inference writes less memory).
    var keepsActivations = true

    private(set) var nodeCount = 0
    private(set) var edgeCount = 0
    private(set) var layout = GraphLayout(nodeCounts: [])
    var edges = EdgeList()

    // Input, copied from the caller's arrays.
    /// [h, (x − x̄), t, c]: `[N, Fin]`.
    let embeddingInput = ScratchBuffer<Float>()
    /// Graph of each node: `[N]`.
    let graphOfNode = ScratchBuffer<Int32>()

    // Activations cached for backward, per layer l (0 ... L for h and x).
    /// h_l: `[N, H]`, l = 0 ... L.
    let h: [ScratchBuffer<Float>]
    /// x_l: `[N, 3]`, l = 0 ... L.
    let x: [ScratchBuffer<Float>]
    /// ‖x_i − x_j‖² at layer l: `[E]`; layer 0 holds d0², the input distances.
    let squaredDistance: [ScratchBuffer<Float>]
    /// (x_i − x_j) / (‖x_i − x_j‖ + 1) at layer l: `[E, 3]`.
    let direction: [ScratchBuffer<Float>]
    /// Edge MLP: a1 = SiLU(z1) and σ(z1), m0 = SiLU(z2) and σ(z2): `[E, H]` each.
    /// SiLU′(z) = σ(z) + SiLU(z)(1 − σ(z)), so backward needs no exp and no z.
    let edgeA1: [ScratchBuffer<Float>], edgeS1: [ScratchBuffer<Float>]
    let edgeM0: [ScratchBuffer<Float>], edgeS2: [ScratchBuffer<Float>]
    /// Attention gate σ(w·m + b): `[E]`.
    let gate: [ScratchBuffer<Float>]
    /// Σ_j m_ij / normalization_factor: `[N, H]`.
    let aggregate: [ScratchBuffer<Float>]
    /// Pre-activation of the node MLP's first layer: `[N, H]`.
    let nodeQ1: [ScratchBuffer<Float>]
    /// With `.mean` global pooling, each graph's mean h_l: `[G, H]` (else unused).
    let graphMean: [ScratchBuffer<Float>]
    /// Coordinate MLP: b1 = SiLU(y1) and σ(y1), b2 = SiLU(y2) and σ(y2): `[E, H]` each.
    let coordB1: [ScratchBuffer<Float>], coordS1: [ScratchBuffer<Float>]
    let coordB2: [ScratchBuffer<Float>], coordS2: [ScratchBuffer<Float>]
    /// tanh(φ_x(·)): `[E]`.
    let coordTanh: [ScratchBuffer<Float>]
    /// Output layer before column dropping: `[N, Fout]`.
    let output = ScratchBuffer<Float>()

    // Scratch shared by all layers: each sublayer overwrites what it uses.
    /// The first layer of an edge MLP split by node (GCL and coordinate MLP):
    /// h·W_a, each node's term as receiver, and h·W_b, as sender: `[N, H]`
    /// each; in backward, their gradients. To save memory, the GCL's backward
    /// first keeps its node MLP's temporaries in them: ∂L/∂q1 in
    /// `receiverTerm`, SiLU′(q1) and then ∂L/∂agg in `senderTerm`, `[N, H]` each.
    let receiverTerm = ScratchBuffer<Float>(), senderTerm = ScratchBuffer<Float>()
    /// The GCL node MLP's hidden activation r1 = SiLU(q1): `[N, H]`.
    let nodeActivation = ScratchBuffer<Float>()
    /// The second edge layer's pre-activation, z2 (GCL) or y2 (coordinate MLP): `[E, H]`.
    let edgePreActivation = ScratchBuffer<Float>()
    /// ∂L/∂z2 or ∂L/∂y2: `[E, H]`.
    let dEdgePreActivation = ScratchBuffer<Float>()
    /// ∂L/∂a1 or ∂L/∂b1, the first edge layer's output (GCL, coordinate MLP): `[E, H]`.
    let dEdgeActivation = ScratchBuffer<Float>()
    /// With global pooling: the context μ·Wn_μ in forward, its gradient in backward: `[G, H]`.
    let graphContext = ScratchBuffer<Float>()
    /// With global pooling: ∂L/∂μ: `[G, H]`.
    let dGraphMean = ScratchBuffer<Float>()

    // Gradients flowing backward.
    /// ∂L/∂h_l: `[N, H]`; ∂L/∂x_l: `[N, 3]`.
    let dh = ScratchBuffer<Float>(), dx = ScratchBuffer<Float>()
    /// ∂L/∂(d²) of the current layer and ∂L/∂(d0²) summed over layers: `[E]`.
    let dSquaredDistance = ScratchBuffer<Float>(), dInputSquaredDistance = ScratchBuffer<Float>()
    /// ∂L/∂direction of the current layer: `[E, 3]`.
    let dDirection = ScratchBuffer<Float>()
    /// ∂L/∂x_0 by the direct path ε̂_x = x_L − x_0: `[N, 3]`.
    let dxDirect = ScratchBuffer<Float>()
    /// ∂L/∂(embedding input): `[N, Fin]`.
    let dEmbeddingInput = ScratchBuffer<Float>()

    init(configuration: EGNNConfiguration, parameters: EGNNParameterLayout) {
        self.configuration = configuration
        self.parameters = parameters
        let l = configuration.layers
        func buffers(_ n: Int) -> [ScratchBuffer<Float>] { (0 ..< n).map { _ in ScratchBuffer<Float>() } }
        h = buffers(l + 1)
        x = buffers(l + 1)
        squaredDistance = buffers(l)
        direction = buffers(l)
        edgeA1 = buffers(l)
        edgeS1 = buffers(l)
        edgeM0 = buffers(l)
        edgeS2 = buffers(l)
        gate = buffers(l)
        aggregate = buffers(l)
        nodeQ1 = buffers(l)
        graphMean = buffers(l)
        coordB1 = buffers(l)
        coordS1 = buffers(l)
        coordB2 = buffers(l)
        coordS2 = buffers(l)
        coordTanh = buffers(l)
        perEdge = [squaredDistance, gate, coordTanh]
        perEdgeHidden = [edgeA1, edgeS1, edgeM0, edgeS2, coordB1, coordS1, coordB2, coordS2]
    }

    /// The per-layer buffers of `[E]` and of `[E, H]` floats, grouped once for `resize`.
    private let perEdge: [[ScratchBuffer<Float>]]
    private let perEdgeHidden: [[ScratchBuffer<Float>]]

    var hidden: Int { configuration.hidden }

    /// Sizes every buffer for `layout` (with `edges` already built for it).
    func resize(layout: GraphLayout) {
        self.layout = layout
        let n = layout.nodeCount, e = edges.edgeCount, hid = configuration.hidden
        precondition(edges.nodeCount == n, "edge list for \(edges.nodeCount) nodes, layout has \(n)")
        nodeCount = n
        edgeCount = e
        embeddingInput.reserve(n * configuration.embeddingInputWidth)
        dEmbeddingInput.reserve(n * configuration.embeddingInputWidth)
        graphOfNode.reserve(n)
        for g in 0 ..< layout.graphCount {
            for i in layout.nodes(ofGraph: g) { graphOfNode.pointer[i] = Int32(g) }
        }
        for b in h { b.reserve(n * hid) }
        for b in x { b.reserve(n * 3) }
        // Loops over the stored groups: an array literal or `+` here would allocate every step.
        for group in perEdge { for b in group { b.reserve(e) } }
        for b in direction { b.reserve(e * 3) }
        for group in perEdgeHidden { for b in group { b.reserve(e * hid) } }
        for b in aggregate { b.reserve(n * hid) }
        for b in nodeQ1 { b.reserve(n * hid) }
        if configuration.globalPooling == .mean {
            for b in graphMean { b.reserve(layout.graphCount * hid) }
            graphContext.reserve(layout.graphCount * hid); dGraphMean.reserve(layout.graphCount * hid)
        }
        output.reserve(n * configuration.embeddingOutputWidth)
        dEdgeActivation.reserve(e * hid); edgePreActivation.reserve(e * hid); dEdgePreActivation.reserve(e * hid)
        let nodeWidth = n * max(hid, configuration.embeddingOutputWidth)
        receiverTerm.reserve(nodeWidth); senderTerm.reserve(nodeWidth); nodeActivation.reserve(nodeWidth); dh.reserve(nodeWidth)
        dx.reserve(n * 3); dxDirect.reserve(n * 3)
        dSquaredDistance.reserve(e); dInputSquaredDistance.reserve(e)
        dDirection.reserve(e * 3)
    }

    /// Bytes held by all buffers.
    var byteCount: Int {
        let lists = [h, x, squaredDistance, direction, edgeA1, edgeS1, edgeM0, edgeS2, gate, aggregate, nodeQ1,
                     graphMean, coordB1, coordS1, coordB2, coordS2, coordTanh]
        let singles = [embeddingInput, output, dEdgeActivation, edgePreActivation, dEdgePreActivation, receiverTerm,
                       senderTerm, nodeActivation, graphContext, dGraphMean, dh, dx,
                       dSquaredDistance, dInputSquaredDistance, dDirection, dxDirect, dEmbeddingInput]
        return lists.joined().reduce(0) { $0 + $1.byteCount } + singles.reduce(0) { $0 + $1.byteCount }
            + graphOfNode.byteCount
    }
}
