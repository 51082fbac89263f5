import Foundation

/// DPM-Solver++ (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling
/// of Diffusion Probabilistic Models", §4 and Algorithm 2), multistep, in its
/// data-prediction form, with an amount η of noise: η = 0 solves the
/// probability-flow ODE (DPM-Solver++(2M)), η = 1 the reverse SDE
/// (SDE-DPM-Solver++(2M), §5 of Lu et al.'s paper), larger η adds Langevin
/// dynamics on top (a predictor–corrector folded into each step).
///
/// With λ = log(α/σ), x̂ = (z_t − σ_t ε̂)/α_t and h = λ_s − λ_t, the family of
/// reverse processes dz̃ = −(1 + η²)(z̃ − x̂) dλ + √2 η σ̃ dW in z̃ = z/α,
/// σ̃ = σ/α, with x̂ linear in λ across the step, gives exactly
///
///     z_s = α_s [e^{−ch} z_t/α_t + (1 − e^{−ch}) x̂ + (h − (1 − e^{−ch})/c) D]
///           + σ_s √(1 − e^{−2η²h}) ξ,     c = 1 + η²,
///
/// with D = (x̂ − x̂_prev)/h_prev, the slope of x̂ in λ from the previous call
/// (order 2; D = 0 at the first step and with `order` 1). η = 0 and order 1 is
/// DDIM; η = 1 and order 1 is EDM's ancestral step. ξ is zero-CoM on
/// positions, so z stays in the zero-CoM subspace. The last call, at t = 0,
/// returns x̂ for positions and z_0's features, as DDIM does.
/// One denoiser call per timestep.
public struct DPMSolverSampler: Sampler {
    public let process: DiffusionProcess
    public let timesteps: [Int]
    /// 1 or 2.
    public let order: Int
    /// η ≥ 0.
    public let eta: Double

    /// `steps` steps before the final call at t = 0 on `grid` (at t0 = `stop`, which then returns x̂).
    public init(process: DiffusionProcess, steps: Int, grid: TimestepGrid = .logSNR, order: Int = 2,
                eta: Double = 0, stop: Int = 0) throws {
        guard order == 1 || order == 2 else {
            throw DiffusionError.invalidConfiguration("DPM-Solver++ order must be 1 or 2, got \(order)")
        }
        guard eta.isFinite, eta >= 0 else {
            throw DiffusionError.invalidConfiguration("the noise η of DPM-Solver++ must be ≥ 0, got \(eta)")
        }
        self.process = process
        self.timesteps = try grid.timesteps(steps: steps, schedule: process.schedule, stop: stop)
        self.order = order
        self.eta = eta
    }

    /// λ_t = log(α_t / σ_t).
    private func lambda(_ t: Int) -> Double { -schedule.gamma(at: t) / 2 }

    public func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, state: inout SamplerState, using generator: inout G
    ) {
        checkStep(z, prediction: prediction, index: index)
        let t = timesteps[index]
        let at = schedule.alpha(at: t), st = schedule.sigma(at: t)
        state.estimate.resize(nodes: layout.nodeCount, featureWidth: process.featureWidth)
        for k in z.positions.indices {
            state.estimate.positions[k] = Float((Double(z.positions[k]) - st * Double(prediction.positions[k])) / at)
        }
        for k in z.features.indices {
            state.estimate.features[k] = Float((Double(z.features[k]) - st * Double(prediction.features[k])) / at)
        }
        guard index < timesteps.count - 1 else {
            for k in z.positions.indices { z.positions[k] = state.estimate.positions[k] }
            if process.projectsCenterOfMass { CenterOfMass.remove(from: &z.positions, layout: layout) }
            return
        }
        let s = timesteps[index + 1]
        let h = lambda(s) - lambda(t), c = 1 + eta * eta
        let kept = -Foundation.expm1(-c * h)                       // 1 − e^{−ch}
        let zWeight = schedule.alpha(at: s) * (1 - kept) / at
        let estimateWeight = schedule.alpha(at: s) * kept
        var slopeWeight = 0.0
        if order == 2, index > 0, state.previousTimestep == timesteps[index - 1] {
            let previousStep = lambda(t) - lambda(timesteps[index - 1])
            if previousStep > 0 { slopeWeight = schedule.alpha(at: s) * (h - kept / c) / previousStep }
        }
        let spread = eta == 0 ? 0 : schedule.sigma(at: s) * (-Foundation.expm1(-2 * eta * eta * h)).squareRoot()
        if spread > 0 {
            process.sampleNoise(layout: layout, into: &state.noise, using: &generator)
        }
        // Optional, not guarded reads: an empty buffer must never be indexed (release builds are -Ounchecked).
        func update(_ z: inout [Float], _ estimate: [Float], _ previous: [Float]?, _ noise: [Float]?) {
            for k in z.indices {
                let x = Double(estimate[k])
                var value = zWeight * Double(z[k]) + estimateWeight * x
                if let previous { value += slopeWeight * (x - Double(previous[k])) }
                if let noise { value += spread * Double(noise[k]) }
                z[k] = Float(value)
            }
        }
        let slope = slopeWeight != 0, noisy = spread > 0
        update(&z.positions, state.estimate.positions, slope ? state.previousEstimate.positions : nil,
               noisy ? state.noise.positions : nil)
        update(&z.features, state.estimate.features, slope ? state.previousEstimate.features : nil,
               noisy ? state.noise.features : nil)
        if process.projectsCenterOfMass { CenterOfMass.remove(from: &z.positions, layout: layout) }
        state.rememberEstimate(at: t)
    }
}
