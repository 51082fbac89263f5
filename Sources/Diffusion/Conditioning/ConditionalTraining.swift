/// How a conditional model trains beyond the plain ε-loss: condition dropout, so one
/// model also learns ε_θ(z_t, t, ∅) for classifier-free guidance (Ho & Salimans 2022),
/// and the early stop t0 of reward-directed conditional diffusion (Yuan et al. 2023,
/// Algorithm 1: conditional score matching for t ≥ t0 only, sampling stopped at t0).
///
/// The null condition ∅ is the zero vector of the condition's width. A caller whose
/// conditions could be zero must keep ∅ apart: Pipeline's encoding ends each condition
/// with an indicator channel that is 1 when the condition is present.
public struct ConditionalTraining: Sendable, Codable, Equatable {
    /// Probability p that a graph's condition is replaced by ∅ in a training step.
    public var dropout: Double
    /// t0: training draws t ~ U{t0, …, T}; samplers stop at t0 (`SamplingSettings.stop`).
    public var earlyStop: Int

    /// p in [0, 1), t0 ≥ 0.
    public init(dropout: Double = 0, earlyStop: Int = 0) throws {
        guard dropout.isFinite, dropout >= 0, dropout < 1 else {
            throw DiffusionError.invalidConfiguration("the condition dropout must be in [0, 1), got \(dropout)")
        }
        guard earlyStop >= 0 else {
            throw DiffusionError.invalidConfiguration("the early stop t0 must be ≥ 0, got \(earlyStop)")
        }
        self.dropout = dropout
        self.earlyStop = earlyStop
    }

    private init(checkedDropout: Double, earlyStop: Int) {
        self.dropout = checkedDropout
        self.earlyStop = earlyStop
    }

    /// Plain training: no dropout, t from 0.
    public static let none = ConditionalTraining(checkedDropout: 0, earlyStop: 0)

    /// Replaces each row of `condition` (`[graphs, width]`) by ∅ with probability
    /// `dropout`, one uniform draw per graph; draws nothing when `dropout` is 0 or the
    /// condition is empty, so an unconditional run's draws are unchanged.
    public func dropConditions(_ condition: inout [Float], graphs: Int, using generator: inout some RandomNumberGenerator) {
        guard dropout > 0, graphs > 0, !condition.isEmpty else { return }
        precondition(condition.count % graphs == 0, "condition: \(condition.count) values for \(graphs) graphs")
        let width = condition.count / graphs
        for g in 0 ..< graphs where generator.nextUnitInterval() < dropout {
            for k in (g * width) ..< ((g + 1) * width) { condition[k] = 0 }
        }
    }
}
