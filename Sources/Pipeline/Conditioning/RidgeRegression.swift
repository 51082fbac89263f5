import Foundation

/// Ridge regression in closed form: with descriptors centred column by column (mean μ_j of the
/// training rows) and centred targets,
///
///     w = (XᵀX / n + λ I)⁻¹ Xᵀ y / n,     ŷ = ȳ + Σ_j w_j (x_j − μ_j)
///
/// solved by a Cholesky factorisation in Double. Columns are not divided by their spread: the
/// descriptors share natural scales (counts, Å⁻¹), while a rare descriptor (a distance seen once
/// in training) divided by its tiny spread would swamp the prediction of a graph that has it. `select` picks λ from a grid by the mean squared
/// error on validation rows (Hastie, Tibshirani & Friedman, *Elements of Statistical Learning*, §3.4.1).
struct RidgeRegression: Sendable, Equatable {
    var weights: [Double]
    var means: [Double]
    var intercept: Double
    var lambda: Double

    /// The λ values `select` tries: 10⁻⁶ … 10².
    static let lambdaGrid = (-6 ... 2).map { pow(10, Double($0)) }

    /// Fits rows `x` (`[n][D]`) to `y` (`[n]`) with penalty λ.
    init(x: [[Double]], y: [Double], lambda: Double) {
        precondition(!x.isEmpty && x.count == y.count, "\(x.count) rows for \(y.count) targets")
        let n = Double(x.count), d = x[0].count
        var means = [Double](repeating: 0, count: d)
        for row in x { for j in 0 ..< d { means[j] += row[j] / n } }
        let yMean = y.reduce(0, +) / n
        // A = XᵀX / n + λI: [D, D]; b = Xᵀy / n: [D], on centred columns
        var a = [Double](repeating: 0, count: d * d), b = [Double](repeating: 0, count: d)
        for (row, target) in zip(x, y) {
            let z = (0 ..< d).map { row[$0] - means[$0] }
            for j in 0 ..< d {
                b[j] += z[j] * (target - yMean) / n
                for k in 0 ... j { a[j * d + k] += z[j] * z[k] / n }
            }
        }
        for j in 0 ..< d { a[j * d + j] += lambda; for k in 0 ..< j { a[k * d + j] = a[j * d + k] } }
        self.weights = Self.solve(a, b, size: d)
        self.means = means
        self.intercept = yMean
        self.lambda = lambda
    }

    init(weights: [Double], means: [Double], intercept: Double, lambda: Double) {
        self.weights = weights
        self.means = means
        self.intercept = intercept
        self.lambda = lambda
    }

    func predict(_ row: [Double]) -> Double {
        var value = intercept
        for j in weights.indices { value += weights[j] * (row[j] - means[j]) }
        return value
    }

    /// The fit on (`x`, `y`) whose λ from `lambdaGrid` gives the least squared error on (`validationX`, `validationY`).
    static func select(x: [[Double]], y: [Double], validationX: [[Double]], validationY: [Double]) -> RidgeRegression {
        var best = RidgeRegression(x: x, y: y, lambda: lambdaGrid[0]), bestError = Double.infinity
        for lambda in lambdaGrid {
            let fit = lambda == best.lambda ? best : RidgeRegression(x: x, y: y, lambda: lambda)
            let error = zip(validationX, validationY).reduce(0) { $0 + pow(fit.predict($1.0) - $1.1, 2) }
            if error < bestError { (best, bestError) = (fit, error) }
        }
        return best
    }

    /// Solves A w = b for symmetric positive definite A `[size, size]` (Cholesky, A = LLᵀ).
    static func solve(_ a: [Double], _ b: [Double], size d: Int) -> [Double] {
        var l = [Double](repeating: 0, count: d * d)
        for j in 0 ..< d {
            var diagonal = a[j * d + j]
            for k in 0 ..< j { diagonal -= l[j * d + k] * l[j * d + k] }
            l[j * d + j] = max(diagonal, 1e-300).squareRoot()
            for i in (j + 1) ..< max(j + 1, d) {
                var value = a[i * d + j]
                for k in 0 ..< j { value -= l[i * d + k] * l[j * d + k] }
                l[i * d + j] = value / l[j * d + j]
            }
        }
        var z = b   // L z = b, then Lᵀ w = z
        for i in 0 ..< d { for k in 0 ..< i { z[i] -= l[i * d + k] * z[k] }; z[i] /= l[i * d + i] }
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1) ..< max(i + 1, d) { z[i] -= l[k * d + i] * z[k] }
            z[i] /= l[i * d + i]
        }
        return z
    }
}
