/// Langevin corrector moves, the corrector of `PredictorCorrectorSampler`
/// (Song et al., "Score-Based Generative Modeling through Stochastic
/// Differential Equations", ICLR 2021, §4.2 and Algorithm 5).
///
/// At a noise level t the model's score is ∇ log p_t(z) = −ε̂ / σ_t. One move
/// of Langevin dynamics with step δ is z ← z + δ ∇ log p_t + √(2δ) ξ. Song et
/// al. pick δ = 2 (r ‖ξ‖ / ‖∇ log p_t‖)² for a signal-to-noise ratio r; with
/// ‖ε̂‖ ≈ ‖ξ‖ that is δ = 2 r² σ_t², so each move is
///
///     z ← z − 2 r² σ_t ε̂ + 2 r σ_t ξ,   ξ ~ N(0, I) (zero-CoM on positions)
///
/// which leaves p_t invariant as δ → 0 and pulls a chain whose marginal has
/// drifted from p_t (the predictor's accumulated error) back towards it.
/// The moves are made at the last `levels` noise levels t = levels … 1 only,
/// where the fine geometry (bond lengths) forms, or from `levels` down to
/// `lowestLevel`; t = 0 is never corrected. A move's step leaves a bias: at a
/// level where the data are sharp (variance ≈ σ_t²) its stationary variance is
/// about 1/(1 − r²) times p_t's, so large r suits the higher levels, whose
/// excess spread later steps remove, better than the last ones.
public struct LangevinCorrector: Sendable, Equatable {
    /// Moves per corrected level.
    public let steps: Int
    /// Corrects levels t = `levels` … `lowestLevel`.
    public let levels: Int
    public let lowestLevel: Int
    /// Signal-to-noise ratio r of a move.
    public let snr: Double

    /// r defaults to 0.2, `rgdm sample`'s value for molecules (chosen on the
    /// shipped QM9 model; models/README.md has the comparison).
    public init(steps: Int = 1, levels: Int, lowestLevel: Int = 1, snr: Double = 0.2) throws {
        guard steps >= 1 else { throw DiffusionError.invalidConfiguration("corrector steps must be ≥ 1, got \(steps)") }
        guard levels >= 1 else { throw DiffusionError.invalidConfiguration("corrector levels must be ≥ 1, got \(levels)") }
        guard (1 ... levels).contains(lowestLevel) else {
            throw DiffusionError.invalidConfiguration("the corrector's lowest level must be in 1 … \(levels), got \(lowestLevel)")
        }
        guard snr.isFinite, snr > 0 else { throw DiffusionError.invalidConfiguration("corrector snr must be > 0, got \(snr)") }
        self.steps = steps
        self.levels = levels
        self.lowestLevel = lowestLevel
        self.snr = snr
    }

    /// The predictor's timesteps with each corrected level repeated `steps`
    /// times before its own predictor step: [.., t, t, t − 1, t − 1, …, 0].
    func interleaved(into timesteps: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(timesteps.count + steps * min(levels, timesteps.count))
        for t in timesteps {
            if t >= lowestLevel && t <= levels { result += repeatElement(t, count: steps) }
            result.append(t)
        }
        return result
    }

    /// One move of z at a level of noise σ_t with ε̂ = ε_θ(z, t); `noise` holds ξ.
    func move(_ z: inout GraphTensors, prediction: DenoiserOutput, sigma: Double, noise: GraphTensors) {
        let drift = 2 * snr * snr * sigma, spread = 2 * snr * sigma
        for k in z.positions.indices {
            z.positions[k] = Float(Double(z.positions[k]) - drift * Double(prediction.positions[k])
                + spread * Double(noise.positions[k]))
        }
        for k in z.features.indices {
            z.features[k] = Float(Double(z.features[k]) - drift * Double(prediction.features[k])
                + spread * Double(noise.features[k]))
        }
    }
}
