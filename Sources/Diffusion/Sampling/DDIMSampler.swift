/// Deterministic DDIM sampling (Song, Meng & Ermon 2021, eq. 12 with η = 0)
/// on a strided subset of the timesteps:
///
///     x̂ = (z_t − σ_t ε̂) / α_t,    z_s = α_s x̂ + σ_s ε̂.
///
/// The last call, at t = 0, returns x̂ for positions and z_0's features (as
/// the ancestral sampler's final step, without its noise).
public struct DDIMSampler: Sampler {
    public let process: DiffusionProcess
    public let timesteps: [Int]

    /// `steps` denoiser calls before the final one at t = 0, at
    /// t_k = round(k T / steps), k = steps … 0, or on another `grid`.
    /// `stop` > 0 ends the chain at t0 = `stop` with x̂ = (z_t0 − σ_t0 ε̂) / α_t0.
    public init(process: DiffusionProcess, steps: Int, grid: TimestepGrid = .uniform, stop: Int = 0) throws {
        self.process = process
        self.timesteps = try grid.timesteps(steps: steps, schedule: process.schedule, stop: stop)
    }

    public func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, state: inout SamplerState, using generator: inout G
    ) {
        checkStep(z, prediction: prediction, index: index)
        // x̂ = (z_t − σ_t ε̂) / α_t element by element, then z_s = α_s x̂ + σ_s ε̂ (x̂ itself at t = 0).
        let t = timesteps[index]
        let at = schedule.alpha(at: t), st = schedule.sigma(at: t)
        func estimate(_ z: Float, _ e: Float) -> Double { (Double(z) - st * Double(e)) / at }
        if index == timesteps.count - 1 {
            for k in z.positions.indices { z.positions[k] = Float(estimate(z.positions[k], prediction.positions[k])) }
        } else {
            let s = timesteps[index + 1]
            let a = schedule.alpha(at: s), sd = schedule.sigma(at: s)
            for k in z.positions.indices {
                let e = prediction.positions[k]
                z.positions[k] = Float(a * Double(Float(estimate(z.positions[k], e))) + sd * Double(e))
            }
            for k in z.features.indices {
                let e = prediction.features[k]
                z.features[k] = Float(a * Double(Float(estimate(z.features[k], e))) + sd * Double(e))
            }
        }
        if process.projectsCenterOfMass { CenterOfMass.remove(from: &z.positions, layout: layout) }
    }
}
