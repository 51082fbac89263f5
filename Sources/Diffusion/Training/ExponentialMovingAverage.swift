/// An exponential moving average of the parameters, used for sampling (EDM's
/// EMA with decay 0.999; Polyak & Juditsky 1992):
///
///     θ_ema ← β θ_ema + (1 − β) θ
public struct ExponentialMovingAverage: Sendable, Equatable {
    public let decay: Float
    /// θ_ema: `[parameterCount]`.
    public var weights: [Float]

    /// Starts from a copy of the parameters, as EDM's deepcopy of the model.
    public init(decay: Float = 0.999, initialWeights: [Float]) throws {
        guard decay.isFinite, decay >= 0, decay < 1 else {
            throw DiffusionError.invalidConfiguration("EMA decay must be in [0, 1), got \(decay)")
        }
        self.decay = decay
        self.weights = initialWeights
    }

    public mutating func update(with parameters: [Float]) {
        precondition(parameters.count == weights.count, "EMA of \(weights.count) values updated with \(parameters.count)")
        // θ_ema + (1 − β)(θ − θ_ema), the same average: a weight that does not move (a frozen
        // part of a model) keeps its average exactly.
        let a = 1 - decay
        for i in weights.indices { weights[i] += a * (parameters[i] - weights[i]) }
    }
}
