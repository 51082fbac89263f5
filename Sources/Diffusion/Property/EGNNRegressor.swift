/// An E(3)-invariant model of one scalar per graph, f(z, t): EDM's EGNN (`EGNN`, reused as is)
/// computes node embeddings, a `PooledHead` pools them per graph and maps them to the prediction.
///
///     let regressor = EGNNRegressor(EGNNRegressorConfiguration(featureWidth: 6), threads: 2)
///     var theta = regressor.initialParameters(using: &generator)
///     let y = regressor.predict(input, parameters: theta)                 // [graphs]
///     let loss = regressor.lossAndGradient(input, parameters: theta, gradient: &grad,
///                                          inputGradient: &dz) { y in (L(y), ∂L/∂y) }
///
/// The backbone sees the node features padded with K zero columns, so its feature output
/// Linear(H, F + K + 1)(h_L)[:, :F + K] is a node read-out e_i of width W = F + K (invariant:
/// h_L depends on distances only). Its time input t/T is the diffusion time of a noise-aware
/// model (trained on z_t at random t), 0 for a model of clean data. The backbone's coordinate
/// output is not used, so its last coordinate update gets no gradient. Parameters: the EGNN's,
/// then the head's (`PooledHead`).
public final class EGNNRegressor {
    public let configuration: EGNNRegressorConfiguration
    let backbone: EGNN
    let head: PooledHead

    public init(_ configuration: EGNNRegressorConfiguration, threads: Int = 1) {
        self.configuration = configuration
        self.backbone = EGNN(configuration.backbone, threads: threads)
        self.head = PooledHead(width: configuration.embeddingWidth, hidden: configuration.headHidden,
                               pooling: configuration.pooling, offset: backbone.parameterCount)
    }

    /// Width F of the node features it reads.
    public var featureWidth: Int { configuration.featureWidth }
    public var parameterCount: Int { backbone.parameterCount + head.parameterCount }

    /// The EGNN's initialisation for the backbone, `PooledHead`'s for the head.
    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        var p = backbone.initialParameters(using: &generator)
        p += [Float](repeating: 0, count: head.parameterCount)
        head.initialise(&p, using: &generator)
        return p
    }

    /// f(z, t): one value per graph of `input` (`[graphs]`); `input.condition` must be empty.
    public func predict(_ input: DenoiserInput, parameters: [Float]) -> [Double] {
        check(input, parameters)
        let output = backbone.predict(padded(input), parameters: Array(parameters[0 ..< backbone.parameterCount]))
        return head.forward(output.features, layout: input.layout, parameters: parameters).values
    }

    /// Runs forward, asks `loss` for (L, ∂L/∂y) on the predictions y `[graphs]`, runs backward,
    /// and *adds* ∂L/∂θ to `gradient` (`[parameterCount]`). Returns L.
    public func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                                loss: ([Double]) -> (value: Double, gradient: [Double])) -> Double {
        var none = GraphTensors()
        return run(input, parameters: parameters, gradient: &gradient, inputGradient: &none, wantsInputGradient: false,
                   loss: loss)
    }

    /// As `lossAndGradient(_:parameters:gradient:loss:)`, and writes ∂L/∂z into `inputGradient`:
    /// positions `[N, 3]` and features `[N, F]` (what gradient guidance needs).
    public func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                                inputGradient: inout GraphTensors,
                                loss: ([Double]) -> (value: Double, gradient: [Double])) -> Double {
        run(input, parameters: parameters, gradient: &gradient, inputGradient: &inputGradient, wantsInputGradient: true,
            loss: loss)
    }

    private func run(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float], inputGradient: inout GraphTensors,
                     wantsInputGradient: Bool, loss: ([Double]) -> (value: Double, gradient: [Double])) -> Double {
        check(input, parameters)
        precondition(gradient.count == parameterCount, "gradient: \(gradient.count) values for \(parameterCount) parameters")
        let layout = input.layout, n = layout.nodeCount, f = featureWidth, w = configuration.embeddingWidth
        var backboneGradient = [Float](repeating: 0, count: backbone.parameterCount)
        var dInput = DenoiserOutput(positions: [], features: [])
        let value = backbone.lossAndGradient(
            padded(input), parameters: Array(parameters[0 ..< backbone.parameterCount]), gradient: &backboneGradient,
            inputGradient: &dInput
        ) { output in
            // e = the backbone's feature output: [N, W]; y = head(e): [G]
            let (values, cache) = head.forward(output.features, layout: layout, parameters: parameters)
            let (value, dy) = loss(values)
            precondition(dy.count == layout.graphCount, "∂L/∂y: \(dy.count) values for \(layout.graphCount) graphs")
            let dEmbeddings = head.backward(dy, cache: cache, layout: layout, parameters: parameters, gradient: &gradient)
            return (value, DenoiserOutput(positions: [Float](repeating: 0, count: n * 3), features: dEmbeddings))
        }
        // The head added its share inside the loss; the backbone's is added here.
        for k in 0 ..< backbone.parameterCount { gradient[k] += backboneGradient[k] }
        if wantsInputGradient {
            inputGradient.positions = dInput.positions
            // ∂L/∂z_h: the first F of the padded W columns.
            inputGradient.features = [Float](repeating: 0, count: n * f)
            for i in 0 ..< n { for c in 0 ..< f { inputGradient.features[i * f + c] = dInput.features[i * w + c] } }
        }
        return value
    }

    /// The input with its features padded by K zero columns: `[N, F]` → `[N, F + K]`.
    private func padded(_ input: DenoiserInput) -> DenoiserInput {
        let n = input.layout.nodeCount, f = featureWidth, w = configuration.embeddingWidth
        var features = [Float](repeating: 0, count: n * w)
        for i in 0 ..< n { for c in 0 ..< f { features[i * w + c] = input.features[i * f + c] } }
        return DenoiserInput(layout: input.layout, positions: input.positions, features: features, time: input.time)
    }

    private func check(_ input: DenoiserInput, _ parameters: [Float]) {
        precondition(parameters.count == parameterCount, "parameters: \(parameters.count) values for \(parameterCount)")
        precondition(input.features.count == input.layout.nodeCount * featureWidth,
                     "features: \(input.features.count) values for \(input.layout.nodeCount) nodes × \(featureWidth)")
        precondition(input.condition.isEmpty, "a regressor takes no condition (got \(input.condition.count) values)")
    }
}
