/// Every buffer one chunk of the batch needs for a forward and backward pass
/// of the EGNN: the input, the cached activations of each
/// layer (llm.c style: explicit, named, reused across steps) and scratch.
/// Buffers only grow, so a steady training loop allocates nothing.
///
/// Shapes: N nodes, E edges, G graphs, H hidden, L layers, P parameters.
final class EGNNWorkspace {
    let configuration: EGNNConfiguration
    let parameters: EGNNParameterLayout

    /// Whether the forward keeps every layer's activations, and σ of each SiLU,
    /// for a backward pass. `predict` turns it off: the layers then share a few
    /// buffers (`slot`), so inference touches a fraction of the memory.
    var keepsActivations = true

    /// The buffer of layer l's per-layer activations (edge MLPs, gate, aggregate,
    /// node pre-activation, geometry): l when they are kept, else one shared slot.
    @inline(__always) func slot(_ l: Int) -> Int { keepsActivations ? l : 0 }
    /// The buffer of h_l: l when kept, else two slots in turn (h_l is read while h_{l+1} is written).
    @inline(__always) func hSlot(_ l: Int) -> Int { keepsActivations ? l : l % 2 }
    /// The buffer of x_l: l when kept, else x_0 in its own (ε̂_x = x_L − x_0 reads it last) and two slots in turn.
    @inline(__always) func xSlot(_ l: Int) -> Int { keepsActivations || l == 0 ? l : 1 + (l - 1) % 2 }
    /// The buffer of d²_l: l when kept, else d0² in slot 0 (every layer reads it) and d²_l in slot 1.
    @inline(__always) func distanceSlot(_ l: Int) -> Int { keepsActivations ? l : min(l, 1) }

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
        perLayerEdge = [gate, coordTanh]
        perLayerEdgeHidden = [edgeA1, edgeM0, coordB1, coordB2]
        sigmoids = [edgeS1, edgeS2, coordS1, coordS2]
        perLayerNodeHidden = [aggregate, nodeQ1]
    }

    /// Per-layer buffers grouped once for `resize`: `[E]`, `[E, H]` (SiLU outputs; their σ
    /// apart, kept for backward only) and `[N, H]` floats.
    private let perLayerEdge: [[ScratchBuffer<Float>]]
    private let perLayerEdgeHidden: [[ScratchBuffer<Float>]]
    private let sigmoids: [[ScratchBuffer<Float>]]
    private let perLayerNodeHidden: [[ScratchBuffer<Float>]]

    var hidden: Int { configuration.hidden }

    /// Sizes the buffers for `layout` (with `edges` already built for it): every
    /// layer's and the backward's when `keepsActivations`, else the forward's slots only.
    func resize(layout: GraphLayout) {
        self.layout = layout
        let n = layout.nodeCount, e = edges.edgeCount, hid = configuration.hidden, g = layout.graphCount
        precondition(edges.nodeCount == n, "edge list for \(edges.nodeCount) nodes, layout has \(n)")
        nodeCount = n
        edgeCount = e
        let layers = configuration.layers, keep = keepsActivations
        let perLayer = keep ? layers : 1
        embeddingInput.reserve(n * configuration.embeddingInputWidth)
        graphOfNode.reserve(n)
        for g in 0 ..< layout.graphCount {
            for i in layout.nodes(ofGraph: g) { graphOfNode.pointer[i] = Int32(g) }
        }
        // Loops over stored arrays and their prefixes: an array literal or `+` here would allocate every step.
        for b in h.prefix(keep ? layers + 1 : 2) { b.reserve(n * hid) }
        for b in x.prefix(keep ? layers + 1 : min(3, layers + 1)) { b.reserve(n * 3) }
        for b in squaredDistance.prefix(keep ? layers : min(2, layers)) { b.reserve(e) }
        for b in direction.prefix(perLayer) { b.reserve(e * 3) }
        for group in perLayerEdge { for b in group.prefix(perLayer) { b.reserve(e) } }
        for group in perLayerEdgeHidden { for b in group.prefix(perLayer) { b.reserve(e * hid) } }
        for group in perLayerNodeHidden { for b in group.prefix(perLayer) { b.reserve(n * hid) } }
        if configuration.globalPooling == .mean {
            for b in graphMean.prefix(perLayer) { b.reserve(g * hid) }
            graphContext.reserve(g * hid)
        }
        output.reserve(n * configuration.embeddingOutputWidth)
        edgePreActivation.reserve(e * hid)
        let nodeWidth = n * max(hid, configuration.embeddingOutputWidth)
        receiverTerm.reserve(nodeWidth); senderTerm.reserve(nodeWidth); nodeActivation.reserve(nodeWidth)
        guard keep else { return }
        for group in sigmoids { for b in group { b.reserve(e * hid) } }
        if configuration.globalPooling == .mean { dGraphMean.reserve(g * hid) }
        dEmbeddingInput.reserve(n * configuration.embeddingInputWidth)
        dEdgeActivation.reserve(e * hid); dEdgePreActivation.reserve(e * hid)
        dh.reserve(nodeWidth)
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
