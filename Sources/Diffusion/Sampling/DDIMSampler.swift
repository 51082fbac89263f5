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
    /// t_k = round(k T / steps), k = steps … 0.
    public init(process: DiffusionProcess, steps: Int) throws {
        let total = process.timesteps
        guard (1 ... total).contains(steps) else {
            throw DiffusionError.invalidConfiguration("DDIM steps must be in 1 … T = \(total), got \(steps)")
        }
        self.process = process
        self.timesteps = (0 ... steps).reversed().map { k in
            Int((Double(k) * Double(total) / Double(steps)).rounded())
        }
    }

    public func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, using generator: inout G
    ) {
        checkStep(z, prediction: prediction, index: index)
        let t = timesteps[index]
        let estimate = predictedData(z, prediction: prediction, timestep: t)
        if index == timesteps.count - 1 {
            z.positions = estimate.positions
        } else {
            let s = timesteps[index + 1]
            let a = schedule.alpha(at: s), sd = schedule.sigma(at: s)
            for k in z.positions.indices {
                z.positions[k] = Float(a * Double(estimate.positions[k]) + sd * Double(prediction.positions[k]))
            }
            for k in z.features.indices {
                z.features[k] = Float(a * Double(estimate.features[k]) + sd * Double(prediction.features[k]))
            }
        }
        if process.projectsCenterOfMass { CenterOfMass.remove(from: &z.positions, layout: layout) }
    }
}
