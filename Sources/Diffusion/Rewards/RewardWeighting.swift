import Foundation

/// Per-sample loss weights from rewards for reward-guided training (RGDM,
/// Zhang & Xu 2023: w_i ∝ exp(r_i / τ), the softmax of rewards at
/// temperature τ). Returned as N · softmax(r/τ), i.e. with mean 1, so that
/// `EpsilonLoss`'s (1/B) Σ w_i L_i is an unbiased estimate of
/// Σ_i softmax(r/τ)_i L_i · N over uniformly drawn batches, and equal
/// rewards give the plain mean.
public enum RewardWeighting {
    /// Weights `[N]` for rewards `[N]`; τ > 0.
    public static func weights(rewards: [Double], temperature: Double) throws -> [Float] {
        guard temperature.isFinite, temperature > 0 else {
            throw DiffusionError.invalidConfiguration("reward temperature must be > 0, got \(temperature)")
        }
        guard !rewards.isEmpty else { return [] }
        if let bad = rewards.firstIndex(where: { !$0.isFinite }) {
            throw DiffusionError.invalidConfiguration("reward \(bad) is \(rewards[bad])")
        }
        let scaled = rewards.map { $0 / temperature }
        let top = scaled.max() ?? 0
        let exps = scaled.map { Foundation.exp($0 - top) }   // stable softmax
        let total = exps.reduce(0, +)
        let n = Double(rewards.count)
        return exps.map { Float(n * $0 / total) }
    }
}
