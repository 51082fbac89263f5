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

    public struct Workspace {
        var points = ContextMLP.Workspace(), head = ContextMLP.Workspace()
        /// p: `[clouds, D]`, and the row that won each max: `[clouds, D]`.
        var pooled: [Float] = [], winners: [Int32] = []
        var pooledGradient: [Float] = [], pointGradient: [Float] = []
        /// [μ, log σ²] per cloud: `[clouds, 2 Z]`.
        public var output: [Float] { head.output }
        public init() {}
    }

    /// [μ, log σ²] of every cloud into `workspace.output`: positions `[points, 3]`.
    public func forward(_ positions: UnsafeBufferPointer<Float>, layout: GraphLayout,
                        parameters: UnsafePointer<Float>, workspace w: inout Workspace) {
        let clouds = layout.graphCount, d = points.outputWidth
        points.forward(positions, layout: layout, context: [], parameters: parameters, workspace: &w.points)
        w.pooled.resizeKeepingCapacity(to: clouds * d)
        if w.winners.count != clouds * d { w.winners = [Int32](repeating: 0, count: clouds * d) }
        w.points.output.withUnsafeBufferPointer { f in
            w.pooled.withUnsafeMutableBufferPointer { p in
                w.winners.withUnsafeMutableBufferPointer { arg in
                    for g in 0 ..< clouds {
                        let nodes = layout.nodes(ofGraph: g)
                        precondition(!nodes.isEmpty, "PointNetEncoder: cloud \(g) has no points")
                        let pg = p.baseAddress! + g * d, ag = arg.baseAddress! + g * d
                        let first = f.baseAddress! + nodes.lowerBound * d
                        for j in 0 ..< d { pg[j] = first[j]; ag[j] = Int32(nodes.lowerBound) }
                        for r in nodes.dropFirst() {
                            let fr = f.baseAddress! + r * d
                            for j in 0 ..< d where fr[j] > pg[j] { pg[j] = fr[j]; ag[j] = Int32(r) }
                        }
                    }
                }
            }
        }
        let headLayout = GraphLayout(nodeCounts: [Int](repeating: 1, count: clouds))
        w.pooled.withUnsafeBufferPointer { p in
            head.forward(p, layout: headLayout, context: [], parameters: parameters + points.parameterCount, workspace: &w.head)
        }
    }

    /// Backward of the last `forward`: *adds* ∂L/∂θ into `gradient` given
    /// ∂L/∂[μ, log σ²] `[clouds, 2 Z]`. The max passes each channel's gradient
    /// to the point that won it.
    public func backward(outputGradient: UnsafeBufferPointer<Float>, parameters: UnsafePointer<Float>,
                         gradient: UnsafeMutablePointer<Float>, workspace w: inout Workspace) {
        let d = points.outputWidth, clouds = w.pooled.count / d
        w.pooledGradient.resizeKeepingCapacity(to: clouds * d)
        w.pooledGradient.withUnsafeMutableBufferPointer { dp in
            head.backward(outputGradient: outputGradient, parameters: parameters + points.parameterCount,
                          gradient: gradient + points.parameterCount, workspace: &w.head, inputGradient: dp.baseAddress!)
        }
        w.pointGradient.resizeKeepingCapacity(to: w.points.output.count)
        w.pointGradient.withUnsafeMutableBufferPointer { df in
            w.pooledGradient.withUnsafeBufferPointer { dp in
                w.winners.withUnsafeBufferPointer { arg in
                    for k in 0 ..< clouds * d { df[Int(arg[k]) * d + k % d] += dp[k] }
                }
            }
        }
        w.pointGradient.withUnsafeBufferPointer { df in
            points.backward(outputGradient: df, parameters: parameters, gradient: gradient, workspace: &w.points)
        }
    }
}
