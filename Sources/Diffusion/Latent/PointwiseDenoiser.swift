/// ε_θ(z_t, t[, c]) applied to each node on its own: a `ContextMLP` whose
/// rows are the nodes and whose context per graph is [embedding(t), c]. No
/// messages between nodes: what couples them is the condition c, e.g. a
/// shape latent (Luo & Hu 2021's pointwise decoder, eq. 10–11) — or nothing.
///
/// Two uses, by `rows`:
/// - `.positions`: rows are the 3D positions, the prediction is ε̂_x,
///   projected to zero mean per graph when `centresPrediction` (for a
///   process in the zero-CoM subspace; a process on full 3D noise, where
///   points are independent given c, needs no projection). Not
///   rotation-equivariant (aligned shapes): `.translation` symmetry.
/// - `.features`: graphs of one node whose features are a vector (a latent
///   z); the prediction is ε̂_h and ε̂_x = 0. A diffusion prior over vectors
///   that reuses the graph process, samplers and trainer.
public final class PointwiseDenoiser: InPlaceDenoiser {
    public enum Rows: String, Sendable, Codable { case positions, features }

    public let rows: Rows
    public let centresPrediction: Bool
    public let network: ContextMLP
    public let conditionWidth: Int
    public var featureWidth: Int { rows == .features ? network.inputWidth : 0 }
    public var parameterCount: Int { network.parameterCount }
    public var symmetry: Symmetry { .translation }

    private let workspace = ContextMLP.Workspace()
    private var context: [Float] = []
    private var outputGradient: [Float] = []
    private var lossGradient = DenoiserOutput(positions: [], features: [])

    /// `hidden`: the widths between input and output, e.g. [128, 256, 512, 256, 128].
    public init(rows: Rows, featureWidth: Int = 0, hidden: [Int], conditionWidth: Int, centresPrediction: Bool = true) {
        precondition(rows == .positions ? featureWidth == 0 : featureWidth > 0,
                     "PointwiseDenoiser(\(rows)): feature width \(featureWidth)")
        let width = rows == .positions ? 3 : featureWidth
        self.rows = rows
        self.centresPrediction = centresPrediction && rows == .positions
        self.conditionWidth = conditionWidth
        self.network = ContextMLP(widths: [width] + hidden + [width], contextWidth: TimeEmbedding.width + conditionWidth)
    }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        var p = [Float](repeating: 0, count: parameterCount)
        network.initialize(&p, at: 0, using: &generator)
        return p
    }

    public func predict(_ input: DenoiserInput, parameters: [Float], into output: inout DenoiserOutput) {
        forward(input, parameters: parameters)
        write(layout: input.layout, into: &output)
    }

    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double {
        var noConditionGradient: [Float] = []
        return lossAndGradient(input, parameters: parameters, gradient: &gradient, conditionGradient: &noConditionGradient,
                               loss: loss)
    }

    /// As `lossAndGradient(_:parameters:gradient:loss:)`, and *adds* ∂L/∂c
    /// into `conditionGradient` (`[graphs, conditionWidth]`, or empty to leave
    /// it out): how a shape latent learns what the decoder needs.
    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float], conditionGradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double {
        precondition(gradient.count == parameterCount, "gradient: \(gradient.count) values for \(parameterCount) parameters")
        let wantsConditionGradient = !conditionGradient.isEmpty
        precondition(!wantsConditionGradient || conditionGradient.count == input.layout.graphCount * conditionWidth,
                     "condition gradient: \(conditionGradient.count) values for \(input.layout.graphCount) graphs × \(conditionWidth)")
        forward(input, parameters: parameters)
        var prediction = DenoiserOutput(positions: [], features: [])
        write(layout: input.layout, into: &prediction)
        let value = loss(prediction, &lossGradient)
        // ∂L/∂out: the zero-mean projection is symmetric, so the gradient is projected too.
        outputGradient.removeAll(keepingCapacity: true)
        switch rows {
        case .positions:
            outputGradient.append(contentsOf: lossGradient.positions)
            if centresPrediction { CenterOfMass.remove(from: &outputGradient, layout: input.layout) }
        case .features:
            outputGradient.append(contentsOf: lossGradient.features)
        }
        network.backward(outputGradient: outputGradient, parameters: parameters, gradient: &gradient, workspace: workspace,
                         computing: wantsConditionGradient ? .context : [])
        if wantsConditionGradient {
            // The context's gradient: [graphs, 9 + C]; only its condition columns are wanted.
            let c = network.contextWidth, graphs = input.layout.graphCount
            let contextGradient = workspace.contextGradientView
            for g in 0 ..< graphs {
                for j in 0 ..< conditionWidth {
                    conditionGradient[g * conditionWidth + j] += contextGradient[g * c + TimeEmbedding.width + j]
                }
            }
        }
        return value
    }

    private func forward(_ input: DenoiserInput, parameters: [Float]) {
        precondition(parameters.count == parameterCount, "parameters: \(parameters.count), model \(parameterCount)")
        precondition(input.condition.count == input.layout.graphCount * conditionWidth,
                     "condition: \(input.condition.count) values for \(input.layout.graphCount) graphs × \(conditionWidth)")
        if rows == .features {
            precondition(input.layout.nodeCount == input.layout.graphCount, "PointwiseDenoiser(.features) needs one node per graph")
        }
        TimeEmbedding.context(time: input.time, extra: input.condition, extraWidth: conditionWidth, into: &context)
        network.forward(rows == .positions ? input.positions : input.features, layout: input.layout, context: context,
                        parameters: parameters, workspace: workspace)
    }

    /// The last forward's output as ε̂ (ε̂_x, or ε̂_h with ε̂_x = 0), in `output`'s storage.
    private func write(layout: GraphLayout, into output: inout DenoiserOutput) {
        let out = workspace.outputView
        let values = UnsafeBufferPointer(start: out.start, count: out.rows * out.columns)
        output.positions.removeAll(keepingCapacity: true)
        output.features.removeAll(keepingCapacity: true)
        switch rows {
        case .positions:
            output.positions.append(contentsOf: values)
            if centresPrediction { CenterOfMass.remove(from: &output.positions, layout: layout) }
        case .features:
            output.positions.append(contentsOf: repeatElement(0, count: 3 * layout.nodeCount))
            output.features.append(contentsOf: values)
        }
    }
}
