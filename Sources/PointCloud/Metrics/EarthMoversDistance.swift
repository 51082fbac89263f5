/// Earth mover's distance between two clouds of equal size as PointFlow evaluates it: the mean
/// Euclidean (not squared) distance between matched points under the optimal one-to-one matching,
///
///     EMD(A, B) = min_{φ: A→B bijective} (1/N) Σ_{a∈A} ‖a − φ(a)‖
///
/// (the value SciPy's `linear_sum_assignment` on the `cdist` matrix gives, divided by N).
///
/// Two solvers:
/// - `.exact`: the Hungarian method (`HungarianAssignment`), O(N³) in Double. Use it up to a
///   few hundred points.
/// - `.auction(tolerance:)`: Bertsekas's auction with ε-scaling (`AuctionAssignment`), ε =
///   `tolerance`. Guaranteed `exact ≤ value ≤ exact + tolerance` (distance units, per point),
///   up to Float rounding of the costs (~1e-7 relative); `lowerBound` certifies the gap for
///   each instance (timings: the PointCloud README).
/// - `.relative(_:)` (the default above `exactLimit` points): the auction with tolerance
///   `r × L`, where L = the larger mean nearest-neighbour distance ≤ EMD; so the value is within
///   a fraction `r` of the exact EMD.
public enum EarthMoversDistance {
    public enum Solver: Sendable, Equatable {
        case exact
        /// ε-scaling auction; `tolerance` bounds the excess of the returned mean distance.
        case auction(tolerance: Double)
        /// Exact up to `exactLimit` points; above, the auction within `relativeTolerance` of the EMD.
        case automatic(exactLimit: Int, relativeTolerance: Double)

        /// Exact up to 256 points, within 0.01% above.
        public static let standard = Solver.automatic(exactLimit: 256, relativeTolerance: 1e-4)
    }

    public struct Result: Sendable, Equatable {
        /// The mean matched distance of the matching found.
        public var value: Double
        /// A certified lower bound on the exact EMD (equal to `value` for the exact solver).
        public var lowerBound: Double
        /// Row i of A is matched to point `assignment[i]` of B.
        public var assignment: [Int]
        /// The guaranteed bound on `value − exact EMD` (0 for the exact solver).
        public var tolerance = 0.0
        /// Auction diagnostics (zero for the exact solver): bids made, global ε-slackness checks.
        public var bids = 0, checks = 0
    }

    /// EMD between `a` and `b` (equal counts).
    public static func compute(_ a: PackedPoints, _ b: PackedPoints, solver: Solver = .standard) -> Result {
        precondition(a.count == b.count && a.count > 0, "EarthMoversDistance: clouds of \(a.count) and \(b.count) points (need equal, non-zero)")
        let n = a.count
        switch solver {
        case .exact:
            let assignment = HungarianAssignment.solve(n: n) { i, j in distance(a, i, b, j) }
            var total = 0.0
            for i in 0 ..< n { total += distance(a, i, b, assignment[i]) }
            return Result(value: total / Double(n), lowerBound: total / Double(n), assignment: assignment)
        case let .auction(tolerance):
            return auction(a, b, tolerance: tolerance)
        case let .automatic(limit, relative):
            if n <= limit { return compute(a, b, solver: .exact) }
            // Every point travels at least to its nearest neighbour: L ≤ EMD.
            let (ab, ba) = ChamferDistance.meanNearestDistances(a, b)
            return auction(a, b, tolerance: max(relative * max(ab, ba), 1e-9))
        }
    }

    static func auction(_ a: PackedPoints, _ b: PackedPoints, tolerance: Double) -> Result {
        let n = a.count
        if n == 1 { return compute(a, b, solver: .exact) }
        let result = AuctionAssignment.solve(a, b, epsilon: tolerance)
        // Recompute the matched distances in Double for the reported value.
        var total = 0.0
        for i in 0 ..< n { total += distance(a, i, b, result.assignment[i]) }
        return Result(value: total / Double(n), lowerBound: result.lowerBound / Double(n), assignment: result.assignment,
                      tolerance: result.epsilon, bids: result.bids, checks: result.checks)
    }

    @inline(__always)
    static func distance(_ a: PackedPoints, _ i: Int, _ b: PackedPoints, _ j: Int) -> Double {
        let dx = Double(a.x[i]) - Double(b.x[j]), dy = Double(a.y[i]) - Double(b.y[j]), dz = Double(a.z[i]) - Double(b.z[j])
        return (dx * dx + dy * dy + dz * dz).squareRoot()
    }
}

extension PointCloud {
    /// Earth mover's distance to `other` (equal counts): mean matched Euclidean distance.
    public func earthMoversDistance(to other: PointCloud, solver: EarthMoversDistance.Solver = .standard) -> Double {
        EarthMoversDistance.compute(PackedPoints(self), PackedPoints(other), solver: solver).value
    }
}
