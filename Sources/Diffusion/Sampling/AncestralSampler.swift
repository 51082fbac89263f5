/// Ancestral sampling of p(z_s | z_t) as EDM does it (Hoogeboom et al. 2022,
/// §2 and Algorithm 2; Ho et al. 2020, eq. 11; "sample_p_zs_given_zt"):
///
///     μ = z_t / α_{t|s} − σ²_{t|s} / (α_{t|s} σ_t) · ε̂
///     σ = σ_{t|s} σ_s / σ_t
///     z_s = μ + σ ε,   ε ~ N(0, I) (zero-CoM on positions)
///
/// then positions are projected back to zero mean to stop drift. At t = 0 the
/// final step samples p(x | z_0) = N((z_0 − σ_0 ε̂)/α_0, σ_0²/α_0²) for
/// positions and keeps h = z_0's features (EDM's sample_p_xh_given_z0).
/// `PredictorCorrectorSampler` uses this step as its predictor.
public struct AncestralSampler: Sampler {
    public let process: DiffusionProcess
    public let timesteps: [Int]

    /// Every step T, T − 1, …, 0, as EDM samples.
    public init(process: DiffusionProcess) {
        self.process = process
        self.timesteps = Array((0 ... process.timesteps).reversed())
    }

    /// `steps` strided steps before the final one, at t_k = round(k T / steps),
    /// k = steps … 0 (DDIM's grid; p(z_s | z_t) is exact for any s < t, so this
    /// is DDPM with a coarser chain, DDIM with η = 1). `steps` = T is `init(process:)`.
    /// A coarse chain shrinks the data's spread: the kernel's variance leaves out the
    /// uncertainty of x̂. With exact ε on Gaussian data of standard deviation 0.5,
    /// 40 of 1000 steps give about 0.445, 200 steps within 10 % (`SamplerTests`).
    public init(process: DiffusionProcess, steps: Int) throws {
        try self.init(process: process, steps: steps, grid: .uniform)
    }

    /// `steps` steps before the final one on `grid` (e.g. crowded at low t, where
    /// the bonds form). `grid: .uniform` is `init(process:steps:)`.
    /// `stop` > 0 ends the chain at t0 = `stop`: its last step decodes p(x | z_t0).
    public init(process: DiffusionProcess, steps: Int, grid: TimestepGrid, stop: Int = 0) throws {
        self.process = process
        self.timesteps = try grid.timesteps(steps: steps, schedule: process.schedule, stop: stop)
    }

    /// One step with ε drawn into `state.noise`.
    public func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, state: inout SamplerState, using generator: inout G
    ) {
        checkStep(z, prediction: prediction, index: index)
        process.sampleNoise(layout: layout, into: &state.noise, using: &generator)
        let next = index == timesteps.count - 1 ? nil : timesteps[index + 1]
        step(&z, prediction: prediction, from: timesteps[index], to: next, noise: state.noise, layout: layout)
    }

    /// z_t → z_s with ε given in `noise`, or with s = nil the final step z_0 → x;
    /// then the positions' mean removed per graph when the process projects it.
    func step(_ z: inout GraphTensors, prediction: DenoiserOutput, from t: Int, to s: Int?, noise: GraphTensors,
              layout: GraphLayout) {
        if let s {
            let (alphaTS, sigma2TS) = schedule.transition(from: s, to: t)
            let sigmaT = schedule.sigma(at: t), sigmaS = schedule.sigma(at: s)
            let c = sigma2TS / alphaTS / sigmaT
            let sd = sigma2TS.squareRoot() * sigmaS / sigmaT
            for k in z.positions.indices {
                let mean = Double(z.positions[k]) / alphaTS - c * Double(prediction.positions[k])
                z.positions[k] = Float(mean + sd * Double(noise.positions[k]))
            }
            for k in z.features.indices {
                let mean = Double(z.features[k]) / alphaTS - c * Double(prediction.features[k])
                z.features[k] = Float(mean + sd * Double(noise.features[k]))
            }
        } else {
            // p(x | z_0): positions only; h stays z_0's.
            let a0 = schedule.alpha(at: t), s0 = schedule.sigma(at: t)
            let scale = s0 / a0
            for k in z.positions.indices {
                let mean = (Double(z.positions[k]) - s0 * Double(prediction.positions[k])) / a0
                z.positions[k] = Float(mean + scale * Double(noise.positions[k]))
            }
        }
        if process.projectsCenterOfMass { CenterOfMass.remove(from: &z.positions, layout: layout) }
    }
}
