extension RegressionScore {
    /// MAE and R² of `predictions` against `labels` on `split`.
    init(split: String, predictions: [Double], labels: [Double]) {
        precondition(predictions.count == labels.count && !labels.isEmpty, "\(predictions.count) predictions, \(labels.count) labels")
        let n = Double(labels.count), mean = labels.reduce(0, +) / n
        let residual = zip(predictions, labels).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let total = labels.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.init(split: split, count: labels.count,
                  meanAbsoluteError: zip(predictions, labels).reduce(0) { $0 + abs($1.0 - $1.1) } / n,
                  rSquared: total > 0 ? 1 - residual / total : .nan)
    }

    /// E.g. "test (300): MAE 0.8123, R² 0.9811".
    public var summary: String {
        "\(split) (\(count)): MAE \(String(format: "%.4g", meanAbsoluteError)), R² \(String(format: "%.4f", rSquared))"
    }
}
