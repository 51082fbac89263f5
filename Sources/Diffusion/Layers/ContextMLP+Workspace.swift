extension ContextMLP {
    /// The activations a forward pass keeps for its backward, and the
    /// gradients a backward gives besides ∂L/∂θ. A class: it owns scratch
    /// buffers that only grow, so a steady loop allocates nothing.
    public final class Workspace {
        /// x_l, layer l's input, l = 0 … L: `[rows, d_l]` (x_0 a copy of the
        /// input, x_L the output).
        var activations: [ScratchBuffer<Float>] = []
        /// Per layer: a_l = x_l W + b `[rows, d]`; with C > 0, g_l = σ(c W_g + b_g)
        /// and hb_l = c W_b `[groups, d]`.
        var linear: [ScratchBuffer<Float>] = [], gates: [ScratchBuffer<Float>] = [], biases: [ScratchBuffer<Float>] = []
        /// Per layer: σ(y_l) of an activated layer, for SiLU′: `[rows, d]`.
        var sigmoids: [ScratchBuffer<Float>] = []
        /// y = a ⊙ g + hb of the layer being computed when C > 0: `[rows, d]`.
        let preActivation = ScratchBuffer<Float>()
        /// The forward's context c: `[groups, C]`.
        let context = ScratchBuffer<Float>()
        /// Backward: ∂L/∂(the current layer's output), then ∂L/∂(its input):
        /// `[rows, d]` each, swapped per layer; ∂L/∂x_0 ends in `upstream`.
        var upstream = ScratchBuffer<Float>(), downstream = ScratchBuffer<Float>()
        /// Backward with C > 0: per group dhb, then dg_pre: `[2, groups, d]`.
        let groupGradients = ScratchBuffer<Float>()
        /// Backward with `.context`: ∂L/∂c, `[groups, C]`.
        let contextGradientBuffer = ScratchBuffer<Float>()
        /// The last forward's rows and groups, its widths d_0 … d_L and its context width C.
        private(set) var layout = GraphLayout(nodeCounts: [])
        private(set) var widths: [Int] = []
        private(set) var contextWidth = 0
        /// What the last backward computed besides ∂L/∂θ.
        private(set) var computed: Gradients = []

        public init() {}

        /// The last layer's output x_L: `[rows, d_L]`.
        var outputView: MatrixView {
            MatrixView(activations[widths.count - 1].pointer, rows: layout.nodeCount, columns: widths[widths.count - 1])
        }

        /// ∂L/∂x_0 of the last backward computing `.input`: `[rows, d_0]`.
        var inputGradientView: MatrixView {
            precondition(computed.contains(.input), "the last backward did not compute the input gradient")
            return MatrixView(upstream.pointer, rows: layout.nodeCount, columns: widths[0])
        }

        /// ∂L/∂c of the last backward computing `.context`: `[groups, C]`.
        var contextGradientView: MatrixView {
            precondition(computed.contains(.context), "the last backward did not compute the context gradient")
            return MatrixView(contextGradientBuffer.pointer, rows: layout.graphCount, columns: contextWidth)
        }

        /// The last layer's output, a copy: `[rows, d_L]`.
        public var output: [Float] { outputView.elements }
        /// ∂L/∂x of the last backward computing `.input`, a copy: `[rows, d_0]`.
        public var inputGradient: [Float] { inputGradientView.elements }
        /// ∂L/∂c of the last backward computing `.context`, a copy: `[groups, C]`.
        public var contextGradient: [Float] { contextGradientView.elements }

        /// Sizes the forward's buffers for `layout` and `widths` and copies the context `[groups, C]`.
        func prepare(layout: GraphLayout, widths: [Int], contextWidth: Int, context c: [Float]) {
            self.layout = layout
            self.widths = widths
            self.contextWidth = contextWidth
            computed = []
            let layers = widths.count - 1, rows = layout.nodeCount, groups = layout.graphCount
            if linear.count != layers {
                func buffers(_ count: Int) -> [ScratchBuffer<Float>] { (0 ..< count).map { _ in ScratchBuffer<Float>() } }
                activations = buffers(layers + 1)
                linear = buffers(layers); gates = buffers(layers); biases = buffers(layers); sigmoids = buffers(layers)
            }
            for (l, d) in widths.enumerated() { activations[l].reserve(rows * d) }
            for l in 0 ..< layers {
                let d = widths[l + 1]
                linear[l].reserve(rows * d); sigmoids[l].reserve(rows * d)
                gates[l].reserve(groups * d); biases[l].reserve(groups * d)
            }
            preActivation.reserve(rows * (widths.dropFirst().max() ?? 0))
            context.reserve(c.count)
            c.withUnsafeBufferPointer { if let base = $0.baseAddress { context.pointer.update(from: base, count: c.count) } }
        }

        /// Sizes the backward's buffers for the last forward and records what it computes.
        func prepareBackward(computing extra: Gradients) {
            computed = extra
            let rows = layout.nodeCount, groups = layout.graphCount, widest = widths.max() ?? 0
            upstream.reserve(rows * widest); downstream.reserve(rows * widest)
            groupGradients.reserve(2 * groups * widest)
            contextGradientBuffer.reserve(groups * contextWidth)
        }
    }
}
