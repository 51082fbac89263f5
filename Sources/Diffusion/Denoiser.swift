/// Which rigid motions the denoiser respects.
public enum Symmetry: String, Sendable, Codable, CaseIterable {
    /// E(3): rotations, reflections and translations of the positions; molecules.
    case euclidean
    /// Translations only: canonically aligned shapes, where absolute
    /// (centred) positions may enter as node features.
    case translation
}

/// Which node pairs exchange messages.
public enum Connectivity: Sendable, Codable, Equatable, Hashable {
    /// Every ordered pair (i, j), i ≠ j, within each graph (molecules).
    case fullyConnected
    /// Each node receives messages from its k nearest nodes in the same graph,
    /// recomputed from the current (noisy) positions (point clouds).
    case nearestNeighbours(k: Int)
}

extension Connectivity: CustomStringConvertible {
    /// "fully connected" or "k = 16 nearest neighbours", for reports and `rgdm info`.
    public var description: String {
        switch self {
        case .fullyConnected: "fully connected"
        case .nearestNeighbours(let k): "k = \(k) nearest neighbours"
        }
    }

    /// Neighbours per node of a k-nearest-neighbour graph; nil when fully connected.
    public var neighbours: Int? {
        if case .nearestNeighbours(let k) = self { return k }
        return nil
    }
}

/// The input of one denoiser call on a batch of graphs at diffusion time t.
public struct DenoiserInput: Sendable {
    public var layout: GraphLayout
    /// z_x: `[nodes, 3]`, row-major.
    public var positions: [Float]
    /// z_h: `[nodes, featureWidth]`, row-major (scaled one-hot types, charges, …).
    public var features: [Float]
    /// t / T per graph: `[graphs]`, in [0, 1].
    public var time: [Float]
    /// Condition vector per graph (reward-directed conditional diffusion):
    /// `[graphs, conditionWidth]`, empty when the model is unconditional.
    public var condition: [Float]

    public init(layout: GraphLayout, positions: [Float], features: [Float], time: [Float], condition: [Float] = []) {
        precondition(positions.count == layout.nodeCount * 3,
                     "positions: \(positions.count) values for \(layout.nodeCount) nodes × 3")
        precondition(time.count == layout.graphCount, "time: \(time.count) values for \(layout.graphCount) graphs")
        self.layout = layout
        self.positions = positions
        self.features = features
        self.time = time
        self.condition = condition
    }
}

/// The denoiser's prediction ε̂ = (ε̂_x, ε̂_h), or a gradient with the same shapes.
public struct DenoiserOutput: Sendable {
    /// ε̂_x: `[nodes, 3]`; with `.euclidean` symmetry the mean over each graph is zero.
    public var positions: [Float]
    /// ε̂_h: `[nodes, featureWidth]`.
    public var features: [Float]

    public init(positions: [Float], features: [Float]) {
        self.positions = positions
        self.features = features
    }
}

/// A noise-prediction network ε_θ(z_t, t[, c]) on batches of graphs.
///
/// A gradient step is a pure function of (parameters, batch) → (loss,
/// gradients): parameters live in one flat `[Float]` that the optimiser,
/// the EMA, checkpoints and a future MPI all-reduce treat as a plain vector.
/// Conforming types are classes only because they own reusable scratch
/// buffers; they hold no parameters and no randomness.
public protocol Denoiser: AnyObject {
    /// Width F of the node features z_h (without time or condition).
    var featureWidth: Int { get }
    /// Width of the per-graph condition vector (0 when unconditional).
    var conditionWidth: Int { get }
    /// Length of the flat parameter vector.
    var parameterCount: Int { get }
    var symmetry: Symmetry { get }

    /// Freshly initialised parameters (the layers' standard initialisation).
    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float]

    /// ε̂ = ε_θ(z_t, t[, c]).
    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput

    /// ε̂ = ε_θ(z_t, t[, c]) written into `output`'s storage (resized to
    /// `[N, 3]` and `[N, F]`): a sampling loop that keeps `output` allocates
    /// nothing per step.
    func predict(_ input: DenoiserInput, parameters: [Float], into output: inout DenoiserOutput)

    /// Runs forward, asks `loss` for (L, ∂L/∂ε̂), runs backward, and *adds*
    /// ∂L/∂θ to `gradient` (`[parameterCount]`). Returns L.
    func lossAndGradient(
        _ input: DenoiserInput,
        parameters: [Float],
        gradient: inout [Float],
        loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)
    ) -> Double

    /// As `lossAndGradient(_:parameters:gradient:loss:)`, with `loss` writing
    /// ∂L/∂ε̂ into a buffer the denoiser owns and returning L: the form a
    /// training loop uses, since it allocates nothing per step.
    func lossAndGradient(
        _ input: DenoiserInput,
        parameters: [Float],
        gradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double

    /// As `lossAndGradient(_:parameters:gradient:loss:)`, and *adds* ∂L/∂c
    /// into `conditionGradient` (a condition computed by another network,
    /// such as a shape encoder): `[graphs, conditionWidth]`, or empty to
    /// leave ∂L/∂c out.
    func lossAndGradient(
        _ input: DenoiserInput,
        parameters: [Float],
        gradient: inout [Float],
        conditionGradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double
}

extension Denoiser {
    /// Without ∂L/∂c (`conditionGradient` must be empty): denoisers that can
    /// give it implement this themselves.
    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float], conditionGradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double {
        precondition(conditionGradient.isEmpty, "\(Self.self) does not compute the gradient of its condition")
        return lossAndGradient(input, parameters: parameters, gradient: &gradient, loss: loss)
    }

    /// Through the allocating `predict(_:parameters:)`; denoisers with
    /// scratch of their own implement it in place.
    public func predict(_ input: DenoiserInput, parameters: [Float], into output: inout DenoiserOutput) {
        output = predict(input, parameters: parameters)
    }

    /// Through the allocating form; denoisers with scratch of their own
    /// implement it in place.
    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double {
        lossAndGradient(input, parameters: parameters, gradient: &gradient) { prediction in
            var lossGradient = DenoiserOutput(positions: [], features: [])
            let value = loss(prediction, &lossGradient)
            return (value, lossGradient)
        }
    }
}

/// A denoiser whose in-place forms (`predict(_:parameters:into:)` and the
/// `inout` loss-gradient form) are its own: the allocating forms follow from them.
public protocol InPlaceDenoiser: Denoiser {}

extension InPlaceDenoiser {
    public func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        var output = DenoiserOutput(positions: [], features: [])
        predict(input, parameters: parameters, into: &output)
        return output
    }

    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
        loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)
    ) -> Double {
        lossAndGradient(input, parameters: parameters, gradient: &gradient) { prediction, lossGradient in
            let result = loss(prediction)
            lossGradient = result.gradient
            return result.value
        }
    }
}
