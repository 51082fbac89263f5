import Foundation

/// A variance-preserving noise schedule on the integer timesteps t = 0 … T:
/// q(z_t | x) = N(α_t x, σ_t² I) with α_t² + σ_t² = 1 (EDM, Hoogeboom et al.
/// 2022, §2 and eq. 1; Kingma et al. 2021 for γ = −log SNR).
///
/// Conforming types compute their coefficients once, in `Double`, and hand
/// them over as a checked `ScheduleTable`; everything else derives from it.
public protocol NoiseSchedule: Sendable {
    /// The precomputed, validated coefficients.
    var table: ScheduleTable { get }
}

extension NoiseSchedule {
    /// The number of diffusion steps T (timesteps run from 0 to T).
    public var timesteps: Int { table.timesteps }

    /// γ_t = −log SNR(t) = log(σ_t² / α_t²).
    @inlinable public func gamma(at t: Int) -> Double { table.gamma[t] }

    /// ᾱ_t = α_t², the cumulative signal fraction (DDPM's ᾱ, EDM's α_t²).
    @inlinable public func alphaBar(at t: Int) -> Double { table.alphaBar[t] }

    /// α_t = √ᾱ_t, the signal scale of q(z_t | x).
    @inlinable public func alpha(at t: Int) -> Double { table.alpha[t] }

    /// σ_t = √(1 − ᾱ_t), the noise scale of q(z_t | x).
    @inlinable public func sigma(at t: Int) -> Double { table.sigma[t] }

    /// SNR(t) = α_t² / σ_t² = exp(−γ_t).
    @inlinable public func signalToNoiseRatio(at t: Int) -> Double { Foundation.exp(-table.gamma[t]) }

    /// The transition q(z_t | z_s) = N(α_{t|s} z_s, σ²_{t|s} I) for s < t
    /// (EDM §2, "sigma_and_alpha_t_given_s"): α_{t|s} = α_t / α_s and
    /// σ²_{t|s} = σ_t² − α_{t|s}² σ_s² = −expm1(log ᾱ_t − log ᾱ_s).
    public func transition(from s: Int, to t: Int) -> (alpha: Double, sigmaSquared: Double) {
        precondition(s < t, "transition needs s < t, got s = \(s), t = \(t)")
        let logRatio = table.logAlphaBar[t] - table.logAlphaBar[s]
        return (Foundation.exp(0.5 * logRatio), -Foundation.expm1(logRatio))
    }
}

/// The coefficients of a schedule on t = 0 … T, all `[T + 1]`, in `Double`.
public struct ScheduleTable: Sendable, Equatable {
    public let timesteps: Int
    public let alphaBar: [Double]
    public let logAlphaBar: [Double]
    public let alpha: [Double]
    public let sigma: [Double]
    public let gamma: [Double]

    /// Builds the table from ᾱ_t = α_t² and checks it: T ≥ 1, `[T + 1]`
    /// values, each finite in (0, 1), non-increasing in t.
    public init(alphaBar: [Double]) throws {
        let timesteps = alphaBar.count - 1
        guard timesteps >= 1 else {
            throw DiffusionError.invalidSchedule("needs at least 2 values of alpha² (T ≥ 1), got \(alphaBar.count)")
        }
        for (t, value) in alphaBar.enumerated() where !(value.isFinite && value > 0 && value < 1) {
            throw DiffusionError.invalidSchedule("alpha²(t = \(t)) = \(value) is not in (0, 1)")
        }
        for t in 1 ... timesteps where alphaBar[t] > alphaBar[t - 1] {
            throw DiffusionError.invalidSchedule(
                "alpha² increases from t = \(t - 1) (\(alphaBar[t - 1])) to t = \(t) (\(alphaBar[t]))")
        }
        self.timesteps = timesteps
        self.alphaBar = alphaBar
        self.logAlphaBar = alphaBar.map { Foundation.log($0) }
        self.alpha = alphaBar.map { $0.squareRoot() }
        self.sigma = alphaBar.map { (1 - $0).squareRoot() }
        // γ = log σ² − log α², with σ² = 1 − α² via log1p for small α².
        self.gamma = alphaBar.map { Foundation.log1p(-$0) - Foundation.log($0) }
    }
}
