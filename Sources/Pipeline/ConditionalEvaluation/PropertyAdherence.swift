/// How closely generated molecules meet the property values they were generated at, as an
/// oracle sees them: EDM's conditional MAE (Hoogeboom et al. 2022, Table 3), and the mean and
/// spread of the oracle's predictions (the extrapolation sweep's curve).
///
/// Molecules without a prediction (the oracle could not read them) are counted and left out
/// of every figure; with none read, the figures are NaN.
public struct PropertyAdherence: Sendable, Equatable {
    /// Molecules generated.
    public var count: Int
    /// Molecules with a prediction.
    public var read: Int
    /// (1/read) Σ |ŷ_i − a_i| over the molecules read.
    public var meanAbsoluteError: Double
    /// Mean of ŷ over the molecules read.
    public var mean: Double
    /// Standard deviation of ŷ over the molecules read (n − 1 in the denominator; 0 for one).
    public var spread: Double
    /// Mean of a over the molecules read: `mean − targetMean` is the oracle's mean bias, unskewed
    /// by the targets of molecules it could not read.
    public var targetMean: Double

    /// `predictions` `[molecules]` (nil: not read) against `targets` `[molecules]`, data units.
    public init(predictions: [Double?], targets: [Double]) {
        precondition(predictions.count == targets.count, "\(predictions.count) predictions for \(targets.count) targets")
        let pairs = zip(predictions, targets).compactMap { p, a in p.map { ($0, a) } }
        let n = Double(pairs.count)
        count = predictions.count
        read = pairs.count
        meanAbsoluteError = pairs.reduce(0.0) { $0 + abs($1.0 - $1.1) } / n
        let mean = pairs.reduce(0.0) { $0 + $1.0 } / n
        self.mean = mean
        targetMean = pairs.reduce(0.0) { $0 + $1.1 } / n
        let squares = pairs.reduce(0.0) { $0 + ($1.0 - mean) * ($1.0 - mean) }
        spread = pairs.count > 1 ? (squares / (n - 1)).squareRoot() : pairs.count == 1 ? 0 : .nan
    }

    public init(count: Int, read: Int, meanAbsoluteError: Double, mean: Double, spread: Double, targetMean: Double) {
        self.count = count
        self.read = read
        self.meanAbsoluteError = meanAbsoluteError
        self.mean = mean
        self.spread = spread
        self.targetMean = targetMean
    }
}
