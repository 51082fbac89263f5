/// A permutation-invariant network on point clouds (Qi et al. 2017, "PointNet", §4.2): a shared
/// MLP on every point, a symmetric pooling per cloud, an MLP head,
///
///     f_i = SiLU(MLP_point(x_i))          x: [points, 3] → f: [points, D]
///     p_g = max_{i∈g} f_i  (⊕ mean_{i∈g} f_i)   p: [clouds, D or 2D]
///     y_g = MLP_head(p_g)                 y: [clouds, K]  (K logits, or K = 1 value)
///
/// Max and mean ignore the order of a cloud's points, so y does too (exactly, up to the
/// rounding of the mean's sum). No batch normalisation: a cloud's output must not depend on its
/// batch mates. Layers are `ContextMLP`s without context (BLAS products). Parameters: the point
/// MLP's, then the head's.
///
///     let net = PointNet(PointNetConfiguration(outputs: 5))
///     let w = PointNet.Workspace()
///     net.forward(positions, layout: layout, parameters: theta, workspace: w)      // w.output: [clouds, K]
///     net.backward(outputGradient: dy, parameters: theta, gradient: &dTheta, workspace: w)
public struct PointNet: Sendable, Equatable {
    public let configuration: PointNetConfiguration
    let points: ContextMLP
    let head: ContextMLP

    public init(_ configuration: PointNetConfiguration) {
        precondition((try? configuration.validate()) != nil, "invalid PointNet configuration: \(configuration)")
        self.configuration = configuration
        points = ContextMLP(widths: [3] + configuration.pointWidths, contextWidth: 0, activatesLast: true)
        head = ContextMLP(widths: [configuration.pooledWidth] + configuration.headWidths + [configuration.outputs], contextWidth: 0)
    }

    public var outputs: Int { configuration.outputs }
    public var parameterCount: Int { points.parameterCount + head.parameterCount }
    /// D, the width of the per-point features.
    var pointWidth: Int { points.outputWidth }

    /// PyTorch's `nn.Linear` initialisation for every layer: `[parameterCount]`.
    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        var p = [Float](repeating: 0, count: parameterCount)
        points.initialize(&p, at: 0, using: &generator)
        head.initialize(&p, at: points.parameterCount, using: &generator)
        return p
    }

    /// The activations a forward pass keeps for its backward; a class that owns buffers that only grow.
    public final class Workspace {
        let points = ContextMLP.Workspace(), head = ContextMLP.Workspace()
        /// p: `[clouds, P]` (P = D or 2D).
        var pooled: [Float] = []
        /// The point that won each max: `[clouds, D]`.
        var winners: [Int32] = []
        /// The last forward's clouds.
        var layout = GraphLayout(nodeCounts: [])
        /// ∂L/∂x of the last backward that asked for it: `[points, 3]`.
        public private(set) var inputGradient: [Float] = []
        /// y of the last forward: `[clouds, K]`.
        public var output: [Float] { head.output }
        public init() {}

        fileprivate func setInputGradient(_ gradient: [Float]) { inputGradient = gradient }
    }

    /// y for every cloud into `workspace.output` `[clouds, K]`: positions `[points, 3]`, the
    /// clouds' points contiguous as `layout` says (every cloud at least one point).
    public func forward(_ positions: [Float], layout: GraphLayout, parameters: [Float], workspace w: Workspace) {
        precondition(parameters.count == parameterCount, "PointNet: \(parameters.count) parameters for \(parameterCount)")
        precondition(positions.count == layout.nodeCount * 3, "PointNet: \(positions.count) coordinates for \(layout.nodeCount) points × 3")
        let clouds = layout.graphCount, d = pointWidth, width = configuration.pooledWidth
        points.forward(positions, layout: layout, context: [], parameters: parameters, at: 0, workspace: w.points)
        let f = w.points.outputView.start                                   // f: [points, D]
        w.layout = layout
        w.pooled = [Float](repeating: 0, count: clouds * width)
        w.winners = [Int32](repeating: 0, count: clouds * d)
        for g in 0 ..< clouds {
            let nodes = layout.nodes(ofGraph: g)
            precondition(!nodes.isEmpty, "PointNet: cloud \(g) has no points")
            // max_i f_i, and the row that won each channel
            for j in 0 ..< d { w.pooled[g * width + j] = f[nodes.lowerBound * d + j]; w.winners[g * d + j] = Int32(nodes.lowerBound) }
            for r in nodes.dropFirst() {
                for j in 0 ..< d where f[r * d + j] > w.pooled[g * width + j] {
                    w.pooled[g * width + j] = f[r * d + j]
                    w.winners[g * d + j] = Int32(r)
                }
            }
            if configuration.pooling == .maxMean {
                // mean_i f_i, summed in Double
                var sums = [Double](repeating: 0, count: d)
                for r in nodes { for j in 0 ..< d { sums[j] += Double(f[r * d + j]) } }
                for j in 0 ..< d { w.pooled[g * width + d + j] = Float(sums[j] / Double(nodes.count)) }
            }
        }
        head.forward(w.pooled, layout: GraphLayout(nodeCounts: [Int](repeating: 1, count: clouds)), context: [],
                     parameters: parameters, at: points.parameterCount, workspace: w.head)
    }

    /// Backward of the last `forward`: given ∂L/∂y `[clouds, K]`, *adds* ∂L/∂θ into `gradient`
    /// `[parameterCount]`; with `inputGradient`, writes ∂L/∂x `[points, 3]` to `workspace.inputGradient`.
    /// The max passes each channel's gradient to the point that won it; the mean spreads it evenly.
    public func backward(outputGradient: [Float], parameters: [Float], gradient: inout [Float], workspace w: Workspace,
                         inputGradient: Bool = false) {
        let clouds = w.layout.graphCount, d = pointWidth, width = configuration.pooledWidth
        precondition(outputGradient.count == clouds * outputs, "PointNet: ∂L/∂y has \(outputGradient.count) values for \(clouds) clouds × \(outputs)")
        head.backward(outputGradient: outputGradient, parameters: parameters, at: points.parameterCount, gradient: &gradient,
                      workspace: w.head, computing: .input)
        let dp = w.head.inputGradientView.start                             // ∂L/∂p: [clouds, P]
        var df = [Float](repeating: 0, count: w.layout.nodeCount * d)      // ∂L/∂f: [points, D]
        for g in 0 ..< clouds {
            for j in 0 ..< d { df[Int(w.winners[g * d + j]) * d + j] += dp[g * width + j] }
            if configuration.pooling == .maxMean {
                let nodes = w.layout.nodes(ofGraph: g), scale = 1 / Float(nodes.count)
                for r in nodes { for j in 0 ..< d { df[r * d + j] += dp[g * width + d + j] * scale } }
            }
        }
        points.backward(outputGradient: df, parameters: parameters, at: 0, gradient: &gradient, workspace: w.points,
                        computing: inputGradient ? .input : [])
        if inputGradient { w.setInputGradient(w.points.inputGradient) }
    }

    /// y for every cloud: `[clouds, K]` (a fresh workspace).
    public func predict(_ positions: [Float], layout: GraphLayout, parameters: [Float]) -> [Float] {
        let w = Workspace()
        forward(positions, layout: layout, parameters: parameters, workspace: w)
        return w.output
    }
}
