/// A reverse-process sampler as a small object (the diffusers design):
/// `timesteps` lists where the denoiser is evaluated, `addNoise` samples the
/// forward process, `step` moves z_t to z_s given ε̂ = ε_θ(z_t, t).
public protocol Sampler: Sendable {
    var process: DiffusionProcess { get }

    /// Timesteps at which the denoiser is called, strictly descending from T
    /// and ending at 0 (the last call decodes p(x, h | z_0)).
    var timesteps: [Int] { get }

    /// One reverse step at `timesteps[index]`. For index < last, replaces z_t
    /// by z_s with s = `timesteps[index + 1]`; at the last index (t = 0)
    /// replaces z_0 by the decoded (x, h): positions in data space, features
    /// still scaled (the continuous h of EDM's sample_p_xh_given_z0).
    func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, using generator: inout G)
}

extension Sampler {
    /// Forward noising q(z_t | x) per graph (diffusers' add_noise).
    public func addNoise(to x: GraphTensors, noise: GraphTensors, timesteps: [Int], layout: GraphLayout) -> GraphTensors {
        process.diffuse(x, noise: noise, timesteps: timesteps, layout: layout)
    }

    /// x̂ = (z_t − σ_t ε̂) / α_t, the data estimate implied by ε̂ (EDM's
    /// compute_x_pred; DDIM eq. 9 "predicted x_0"), on positions and features.
    func predictedData(_ z: GraphTensors, prediction: DenoiserOutput, timestep t: Int) -> GraphTensors {
        let a = schedule.alpha(at: t), s = schedule.sigma(at: t)
        return GraphTensors(
            positions: zip(z.positions, prediction.positions).map { Float((Double($0) - s * Double($1)) / a) },
            features: zip(z.features, prediction.features).map { Float((Double($0) - s * Double($1)) / a) })
    }

    var schedule: any NoiseSchedule { process.schedule }

    func checkStep(_ z: GraphTensors, prediction: DenoiserOutput, index: Int) {
        precondition(timesteps.indices.contains(index), "step index \(index) outside 0 ..< \(timesteps.count)")
        precondition(z.positions.count == prediction.positions.count && z.features.count == prediction.features.count,
                     "z and ε̂ differ in shape: \(z.positions.count)/\(z.features.count) vs \(prediction.positions.count)/\(prediction.features.count)")
    }
}

/// What a sampling run returns.
public struct SampleResult: Sendable {
    public var layout: GraphLayout
    /// x: `[nodes, 3]`, centred per graph in the zero-CoM subspace.
    public var positions: [Float]
    /// Continuous h in data units (scaling undone): `[nodes, F]`. Decoding,
    /// e.g. argmax over a one-hot block, is the caller's job.
    public var features: [Float]
    /// Saved latents, first z_T, in sampling order (empty unless asked for).
    public var trajectory: [TrajectoryFrame]
}

/// One saved latent z_t of a sampling run (features still scaled).
public struct TrajectoryFrame: Sendable {
    public var timestep: Int
    public var state: GraphTensors
}
