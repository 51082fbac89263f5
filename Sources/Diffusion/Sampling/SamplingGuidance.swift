/// A term a sampling chain adds to the denoiser's ε̂ before each step: ε̂ ← ε̂ + g(z_t, t).
/// Every sampler takes ε̂ from `generate`, so one hook serves them all (ancestral, DDIM,
/// DPM-Solver++, and the corrector's Langevin moves, whose score is −ε̂/σ_t).
/// `PropertyGuidance` is the gradient guidance of reward-directed diffusion.
public protocol SamplingGuidance {
    /// Adds g(z_t, t) to `prediction` (`[N, 3]` and `[N, F]`, as z), for every graph of `layout`
    /// at timestep `timestep` of `process`.
    func guide(_ prediction: inout DenoiserOutput, at z: GraphTensors, timestep: Int, layout: GraphLayout,
               process: DiffusionProcess) throws

    /// As `guide(_:at:timestep:layout:process:)` for graphs drawn under `condition`
    /// (`[graphs, conditionWidth]`, the rows the denoiser reads; empty when unconditional), so a
    /// term may depend on each graph's condition. The default ignores it.
    func guide(_ prediction: inout DenoiserOutput, at z: GraphTensors, condition: [Float], timestep: Int,
               layout: GraphLayout, process: DiffusionProcess) throws
}

extension SamplingGuidance {
    public func guide(_ prediction: inout DenoiserOutput, at z: GraphTensors, condition: [Float], timestep: Int,
                      layout: GraphLayout, process: DiffusionProcess) throws {
        try guide(&prediction, at: z, timestep: timestep, layout: layout, process: process)
    }
}
