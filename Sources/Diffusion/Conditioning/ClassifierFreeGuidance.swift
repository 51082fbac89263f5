/// Classifier-free guidance (Ho & Salimans 2022, eq. 6) as a denoiser: with the model's
/// prediction under the condition c and under the null condition ∅ (the zero vector,
/// `ConditionalTraining`),
///
///     ε̂ = (1 + w) · ε_θ(z_t, t, c) − w · ε_θ(z_t, t, ∅)
///
/// w = 0 is plain conditional sampling; w > 0 follows the condition harder, at a cost in
/// diversity. Both predictions come from one call of `base` on the batch doubled: its
/// graphs with their conditions, then the same graphs with ∅ (`[2G]` graphs), so a batch
/// is split over workers as one. Linear in the two predictions, it is E(3)-equivariant
/// when `base` is, and its gradient is `base`'s backward of ((1 + w) g, −w g).
public final class ClassifierFreeGuidance<Base: Denoiser>: InPlaceDenoiser {
    public let base: Base
    /// w ≥ 0.
    public let scale: Double
    /// The doubled batch's prediction, kept between calls.
    private var doubled = DenoiserOutput(positions: [], features: [])

    public init(base: Base, scale: Double) throws {
        guard base.conditionWidth > 0 else {
            throw DiffusionError.invalidConfiguration("classifier-free guidance needs a conditional denoiser; this one has no condition")
        }
        guard scale.isFinite, scale >= 0 else {
            throw DiffusionError.invalidConfiguration("the guidance scale w must be finite and ≥ 0, got \(scale)")
        }
        self.base = base
        self.scale = scale
    }

    public var featureWidth: Int { base.featureWidth }
    public var conditionWidth: Int { base.conditionWidth }
    public var parameterCount: Int { base.parameterCount }
    public var symmetry: Symmetry { base.symmetry }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        base.initialParameters(using: &generator)
    }

    /// The batch twice over, the second copy with ∅: `[2G]` graphs, `[2N, …]` nodes.
    private func doubledInput(_ input: DenoiserInput) -> DenoiserInput {
        precondition(input.condition.count == input.layout.graphCount * conditionWidth,
                     "condition: \(input.condition.count) values for \(input.layout.graphCount) graphs × \(conditionWidth)")
        let counts = input.layout.nodeCounts
        return DenoiserInput(layout: GraphLayout(nodeCounts: counts + counts), positions: input.positions + input.positions,
                             features: input.features + input.features, time: input.time + input.time,
                             condition: input.condition + [Float](repeating: 0, count: input.condition.count))
    }

    /// out = (1 + w) · first half − w · second half of `values` (`[2n]` → `[n]`).
    private func combine(_ values: [Float], into out: inout [Float]) {
        let n = values.count / 2, w = scale
        out.resizeKeepingCapacity(to: n)
        for k in 0 ..< n { out[k] = Float((1 + w) * Double(values[k]) - w * Double(values[n + k])) }
    }

    public func predict(_ input: DenoiserInput, parameters: [Float], into output: inout DenoiserOutput) {
        base.predict(doubledInput(input), parameters: parameters, into: &doubled)
        combine(doubled.positions, into: &output.positions)
        combine(doubled.features, into: &output.features)
    }

    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double {
        let w = Float(scale)
        return base.lossAndGradient(doubledInput(input), parameters: parameters, gradient: &gradient) { prediction, dPrediction in
            var guided = DenoiserOutput(positions: [], features: [])
            combine(prediction.positions, into: &guided.positions)
            combine(prediction.features, into: &guided.features)
            var g = DenoiserOutput(positions: [], features: [])
            let value = loss(guided, &g)
            // ∂L/∂ε̂(c) = (1 + w) g, ∂L/∂ε̂(∅) = −w g.
            dPrediction.positions = g.positions.map { (1 + w) * $0 } + g.positions.map { -w * $0 }
            dPrediction.features = g.features.map { (1 + w) * $0 } + g.features.map { -w * $0 }
            return value
        }
    }
}
