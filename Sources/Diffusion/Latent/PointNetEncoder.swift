/// A PointNet encoder q(z | X) = N(μ, diag e^{log σ²}) of a whole cloud
/// (Qi et al. 2017; Luo & Hu 2021 §4.3 use it for their shape latent):
///
///     f_i = MLP_point(x_i)            x: [points, 3] → f: [points, D]
///     p_g = max_{i ∈ g} f_i           p: [clouds, D]   (permutation-invariant)
///     [μ, log σ²] = MLP_head(p_g)     [clouds, 2 Z]
///
/// No batch normalisation (it would couple the clouds of a batch, and a
/// gradient step must not depend on its batch mates). Parameters:
/// the point MLP's, then the head's.
public struct PointNetEncoder: Sendable, Equatable {
    public let points: ContextMLP
    public let head: ContextMLP
    public var latentWidth: Int { head.outputWidth / 2 }
    public var parameterCount: Int { points.parameterCount + head.parameterCount }

    /// `pointWidths` after the 3 input coordinates (e.g. [128, 128, 256, 512]);
    /// `headWidths` between the pooled feature and the 2 Z outputs (e.g. [256]).
    public init(pointWidths: [Int], headWidths: [Int], latentWidth: Int) {
        precondition(!pointWidths.isEmpty && latentWidth > 0, "encoder widths \(pointWidths), latent \(latentWidth)")
        points = ContextMLP(widths: [3] + pointWidths, contextWidth: 0)
        head = ContextMLP(widths: [pointWidths[pointWidths.count - 1]] + headWidths + [2 * latentWidth], contextWidth: 0)
    }

    /// The initial log σ² of every latent (the bias of the head's log σ² outputs):
    /// small posteriors at the start, so z carries the encoder's signal and the
    /// decoder learns to use it before the KL term can close the channel.
    public static let initialLogVariance: Float = -4

    /// Standard initialisation of both MLPs, then the log σ² biases set to `initialLogVariance`.
    public func initialize(_ parameters: inout [Float], at offset: Int, using generator: inout some RandomNumberGenerator) {
        points.initialize(&parameters, at: offset, using: &generator)
        let headOffset = offset + points.parameterCount
        head.initialize(&parameters, at: headOffset, using: &generator)
        let last = head.layerCount - 1, z = latentWidth
        let bias = headOffset + head.offsets[last] + head.widths[last] * head.outputWidth
        for j in 0 ..< z { parameters[bias + z + j] = Self.initialLogVariance }
    }

    /// The activations a forward pass keeps for its backward. A class: it
    /// owns scratch buffers that only grow.
    public final class Workspace {
        let points = ContextMLP.Workspace(), head = ContextMLP.Workspace()
        /// p: `[clouds, D]`, and the row that won each max: `[clouds, D]`.
        let pooled = ScratchBuffer<Float>(), winners = ScratchBuffer<Int32>()
        /// ∂L/∂f, the point MLP's output gradient: `[points, D]`.
        let pointGradient = ScratchBuffer<Float>()
        /// [μ, log σ²] per cloud, a copy: `[clouds, 2 Z]`.
        public var output: [Float] { head.output }
        public init() {}
    }

    /// [μ, log σ²] of every cloud into `workspace.output`: positions `[points, 3]`,
    /// parameters `parameters[offset ..< offset + parameterCount]`.
    public func forward(_ positions: [Float], layout: GraphLayout, parameters: [Float], at offset: Int = 0,
                        workspace w: Workspace) {
        precondition(offset >= 0 && offset + parameterCount <= parameters.count,
                     "PointNetEncoder parameters at \(offset): \(parameterCount) of \(parameters.count)")
        let clouds = layout.graphCount, d = points.outputWidth
        points.forward(positions, layout: layout, context: [], parameters: parameters, at: offset, workspace: w.points)
        w.pooled.reserve(clouds * d)
        w.winners.reserve(clouds * d)
        let f = w.points.outputView, pooled = w.pooled.pointer, winners = w.winners.pointer
        for g in 0 ..< clouds {
            let nodes = layout.nodes(ofGraph: g)
            precondition(!nodes.isEmpty, "PointNetEncoder: cloud \(g) has no points")
            let pg = pooled + g * d, ag = winners + g * d
            let first = f.start + nodes.lowerBound * d
            for j in 0 ..< d { pg[j] = first[j]; ag[j] = Int32(nodes.lowerBound) }
            for r in nodes.dropFirst() {
                let fr = f.start + r * d
                for j in 0 ..< d where fr[j] > pg[j] { pg[j] = fr[j]; ag[j] = Int32(r) }
            }
        }
        let headLayout = GraphLayout(nodeCounts: [Int](repeating: 1, count: clouds))
        parameters.withMatrix(rows: 1, columns: parameters.count) { theta in
            head.forward(MatrixView(pooled, rows: clouds, columns: d), layout: headLayout, context: [],
                         parameters: theta.matrix(at: offset + points.parameterCount, rows: 1, columns: head.parameterCount),
                         workspace: w.head)
        }
    }

    /// Backward of the last `forward`: *adds* ∂L/∂θ into `gradient[offset ..< offset + parameterCount]`
    /// given ∂L/∂[μ, log σ²] `[clouds, 2 Z]`. The max passes each channel's gradient
    /// to the point that won it.
    public func backward(outputGradient: [Float], parameters: [Float], at offset: Int = 0, gradient: inout [Float],
                         workspace w: Workspace) {
        let d = points.outputWidth, clouds = w.head.layout.nodeCount
        head.backward(outputGradient: outputGradient, parameters: parameters, at: offset + points.parameterCount,
                      gradient: &gradient, workspace: w.head, computing: .input)
        let pointCount = w.points.layout.nodeCount
        w.pointGradient.reserve(pointCount * d)
        let df = w.pointGradient.pointer, dp = w.head.inputGradientView, winners = w.winners.pointer
        df.zero(pointCount * d)
        for k in 0 ..< clouds * d { df[Int(winners[k]) * d + k % d] += dp[k] }
        parameters.withMatrix(rows: 1, columns: parameters.count) { theta in
            gradient.withMutableMatrix(rows: 1, columns: gradient.count) { dTheta in
                points.backward(outputGradient: MatrixView(df, rows: pointCount, columns: d),
                                parameters: theta.matrix(at: offset, rows: 1, columns: points.parameterCount),
                                gradient: dTheta.matrix(at: offset, rows: 1, columns: points.parameterCount),
                                workspace: w.points, computing: [])
            }
        }
    }
}
