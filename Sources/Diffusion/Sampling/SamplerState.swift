/// What a sampling chain carries from one step to the next besides z: the
/// buffer its noise is drawn into, and for a multistep solver the data
/// estimate x̂ of the previous call. One per chain, fresh at its first step;
/// its buffers only grow, so a loop that keeps it allocates nothing per step.
public struct SamplerState: Sendable {
    /// ε (or ξ) of the current step: `[N, 3]` and `[N, F]`.
    public var noise = GraphTensors()
    /// x̂ = (z_t − σ_t ε̂)/α_t of the current call.
    var estimate = GraphTensors()
    /// x̂ of the previous call and its timestep; nil before the chain's first step.
    var previousEstimate = GraphTensors()
    var previousTimestep: Int?

    public init() {}

    /// Keeps the current estimate as the previous one (swapping the buffers).
    mutating func rememberEstimate(at t: Int) {
        swap(&estimate, &previousEstimate)
        previousTimestep = t
    }
}
