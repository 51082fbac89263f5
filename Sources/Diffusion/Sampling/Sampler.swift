/// A reverse-process sampler as a small object (the diffusers design):
/// `timesteps` lists where the denoiser is evaluated, `addNoise` samples the
/// forward process, `step` moves z_t to z_s given ε̂ = ε_θ(z_t, t).
public protocol Sampler: Sendable {
    var process: DiffusionProcess { get }

    /// Timesteps at which the denoiser is called, descending from T and
    /// ending at 0 (the last call decodes p(x, h | z_0)). Only
    /// `PredictorCorrectorSampler` repeats one: the step before a repeat is a
    /// corrector move that keeps z at that level.
    var timesteps: [Int] { get }

    /// One reverse step at `timesteps[index]`. For index < last, replaces z_t
    /// by z_s with s = `timesteps[index + 1]`; at the last index (t = 0)
    /// replaces z_0 by the decoded (x, h): positions in data space, features
    /// still scaled (the continuous h of EDM's sample_p_xh_given_z0).
    /// `state` carries what the chain needs between steps (the noise buffer, a
    /// multistep solver's earlier estimates): one `SamplerState` per chain,
    /// fresh at its first step, so a loop that keeps it allocates nothing per step.
    func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, state: inout SamplerState, using generator: inout G)
}

extension Sampler {
    /// One step with a fresh `SamplerState`: the same draws and result as a
    /// chain's step for samplers that keep nothing between steps; a multistep
    /// solver makes its first-order step here.
    public func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, using generator: inout G
    ) {
        var state = SamplerState()
        step(&z, prediction: prediction, index: index, layout: layout, state: &state, using: &generator)
    }

    /// Forward noising q(z_t | x) per graph (diffusers' add_noise).
    public func addNoise(to x: GraphTensors, noise: GraphTensors, timesteps: [Int], layout: GraphLayout) -> GraphTensors {
        process.diffuse(x, noise: noise, timesteps: timesteps, layout: layout)
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

    public init(layout: GraphLayout, positions: [Float], features: [Float], trajectory: [TrajectoryFrame] = []) {
        self.layout = layout
        self.positions = positions
        self.features = features
        self.trajectory = trajectory
    }
}

/// One saved latent z_t of a sampling run (features still scaled).
public struct TrajectoryFrame: Sendable {
    public var timestep: Int
    public var state: GraphTensors
}
