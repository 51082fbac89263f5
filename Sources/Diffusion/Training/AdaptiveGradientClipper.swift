/// EDM's adaptive gradient clipping (Hoogeboom et al. 2022, code:
/// utils.gradient_clipping and utils.Queue): the largest allowed norm is
///
///     1.5 · mean(q) + 2 · std(q)     (population std)
///
/// over a queue q of the most recent (at most 50) gradient norms, where a
/// clipped step enters as the allowed norm, not its own. The queue starts
/// with one large value (3000) that later norms flush out. A clipped gradient
/// is scaled by max / (‖g‖ + 1e-6), as torch.nn.utils.clip_grad_norm_ does.
public struct AdaptiveGradientClipper: Sendable, Codable, Equatable {
    public let capacity: Int
    /// Recent norms, oldest first: at most `capacity` values.
    public private(set) var history: [Double]

    public init(capacity: Int = 50, initialNorm: Double = 3000) throws {
        guard capacity >= 1 else { throw DiffusionError.invalidConfiguration("clipping queue needs capacity ≥ 1, got \(capacity)") }
        guard initialNorm.isFinite, initialNorm > 0 else {
            throw DiffusionError.invalidConfiguration("initial gradient norm must be > 0, got \(initialNorm)")
        }
        self.capacity = capacity
        self.history = [initialNorm]
    }

    /// Restores a saved queue.
    public init(capacity: Int, history: [Double]) throws {
        guard capacity >= 1, !history.isEmpty, history.count <= capacity, history.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw DiffusionError.invalidConfiguration("clipping queue of \(history.count) values does not fit capacity \(capacity)")
        }
        self.capacity = capacity
        self.history = history
    }

    /// 1.5 · mean + 2 · std of the queue.
    public var maximumNorm: Double {
        let n = Double(history.count)
        let mean = history.reduce(0, +) / n
        let variance = history.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return 1.5 * mean + 2 * variance.squareRoot()
    }

    /// What one clipping call saw and did.
    public struct Report: Sendable, Equatable {
        /// ‖g‖₂ before clipping.
        public var norm: Double
        /// The allowed norm at this step.
        public var maximumNorm: Double
        public var clipped: Bool { norm > maximumNorm }
    }

    /// Clips `gradient` in place to the allowed norm and records the norm.
    public mutating func clip(_ gradient: inout [Float]) -> Report {
        let limit = maximumNorm
        var sum = 0.0
        for g in gradient { sum += Double(g) * Double(g) }
        let norm = sum.squareRoot()
        let coefficient = limit / (norm + 1e-6)
        if coefficient < 1 {
            let c = Float(coefficient)
            for i in gradient.indices { gradient[i] *= c }
        }
        record(norm > limit ? limit : norm)
        return Report(norm: norm, maximumNorm: limit)
    }

    private mutating func record(_ value: Double) {
        history.append(value)
        if history.count > capacity { history.removeFirst(history.count - capacity) }
    }
}
