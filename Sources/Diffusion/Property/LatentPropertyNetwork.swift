/// The shape of a `LatentPropertyNetwork`: latent width Z, hidden widths, outputs K (K logits
/// of a classifier, or 1 for a regressor).
public struct LatentPropertyConfiguration: Sendable, Codable, Equatable {
    public var latentWidth: Int
    public var hidden: [Int]
    public var outputs: Int

    public init(latentWidth: Int, hidden: [Int] = [256, 256], outputs: Int) {
        self.latentWidth = latentWidth
        self.hidden = hidden
        self.outputs = outputs
    }

    /// Throws `DiffusionError.invalidConfiguration` unless every width is positive.
    public func validate() throws {
        guard latentWidth > 0, outputs > 0, hidden.allSatisfy({ $0 > 0 }) else {
            throw DiffusionError.invalidConfiguration(
                "a latent property network needs positive widths: latent \(latentWidth), hidden \(hidden), outputs \(outputs)")
        }
    }

    /// "128→256→256→5, time-modulated".
    public var summary: String {
        ([latentWidth] + hidden + [outputs]).map(String.init).joined(separator: "→") + ", time-modulated"
    }
}

/// A model of a shape latent's property under the latent prior's forward process, f(z_t, t):
/// the prior's own kind of network (`ContextMLP`, each layer modulated by the context
/// embedding(t/T), as the prior ε_ψ(z_t, t) is) mapping a latent to K outputs. Trained on the
/// frozen encoder's latents noised at random t, its gradient ∇_z f guides the prior's chain
/// (`PropertyGuidance`, `LogProbabilityGuidance` through `NoiseAwareLatentProperty`); trained at
/// t = 0 only, it is a plain classifier or regressor of latents.
///
///     let net = LatentPropertyNetwork(LatentPropertyConfiguration(latentWidth: 128, outputs: 5))
///     let y = net.outputs(z, time: t, parameters: theta)            // z [B, Z], t [B] → y [B, K]
///
/// Cost per latent: O(Σ d_l d_{l+1}), as one call of a prior of those widths.
public struct LatentPropertyNetwork: Sendable, Equatable {
    public let configuration: LatentPropertyConfiguration
    let mlp: ContextMLP

    public init(_ configuration: LatentPropertyConfiguration) {
        self.configuration = configuration
        mlp = ContextMLP(widths: [configuration.latentWidth] + configuration.hidden + [configuration.outputs],
                         contextWidth: TimeEmbedding.width)
    }

    public var latentWidth: Int { configuration.latentWidth }
    public var outputs: Int { configuration.outputs }
    public var parameterCount: Int { mlp.parameterCount }

    /// PyTorch's `nn.Linear` initialisation (`ContextMLP.initialize`).
    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        var p = [Float](repeating: 0, count: parameterCount)
        mlp.initialize(&p, at: 0, using: &generator)
        return p
    }

    /// y = f(z, t): latents z `[B, Z]`, times t/T `[B]` → outputs `[B, K]`.
    public func outputs(_ z: [Float], time: [Float], parameters: [Float]) -> [Float] {
        let workspace = ContextMLP.Workspace()
        forward(z, time: time, parameters: parameters, workspace: workspace)
        return workspace.output
    }

    /// Runs forward, asks `loss` for (L, ∂L/∂y `[B, K]`) on the outputs y `[B, K]`, runs backward,
    /// *adds* ∂L/∂θ into `gradient` and returns L with ∂L/∂z `[B, Z]` (empty unless
    /// `inputGradient`). A workspace of its own per call, so one network serves several threads.
    public func lossAndGradient(_ z: [Float], time: [Float], parameters: [Float], gradient: inout [Float],
                                inputGradient: Bool = false,
                                loss: ([Float]) -> (value: Double, gradient: [Float])) -> (loss: Double, inputGradient: [Float]) {
        precondition(gradient.count == parameterCount, "gradient: \(gradient.count) values for \(parameterCount) parameters")
        let workspace = ContextMLP.Workspace()
        forward(z, time: time, parameters: parameters, workspace: workspace)
        let (value, dy) = loss(workspace.output)
        precondition(dy.count == time.count * outputs, "∂L/∂y: \(dy.count) values for \(time.count) latents × \(outputs)")
        mlp.backward(outputGradient: dy, parameters: parameters, gradient: &gradient, workspace: workspace,
                     computing: inputGradient ? .input : [])
        return (value, inputGradient ? workspace.inputGradient : [])
    }

    private func forward(_ z: [Float], time: [Float], parameters: [Float], workspace: ContextMLP.Workspace) {
        precondition(parameters.count == parameterCount, "parameters: \(parameters.count) values for \(parameterCount)")
        precondition(z.count == time.count * latentWidth, "latents: \(z.count) values for \(time.count) latents × \(latentWidth)")
        // One row per group: each latent is its own graph, with its own time context.
        let layout = GraphLayout(nodeCounts: [Int](repeating: 1, count: time.count))
        var context: [Float] = []
        TimeEmbedding.context(time: time, extra: [], extraWidth: 0, into: &context)
        mlp.forward(z, layout: layout, context: context, parameters: parameters, workspace: workspace)
    }
}
