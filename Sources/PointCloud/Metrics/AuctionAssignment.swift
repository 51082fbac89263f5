/// Approximate minimum-cost perfect matching by Bertsekas's auction algorithm with ε-scaling
/// (Bertsekas 1988; Bertsekas & Castañon 1991), Gauss–Seidel bidding.
///
/// Each unassigned row bids for the column minimising `cost + price`, raising that column's
/// price by the gap to its second choice plus ε. When every row is within ε of its best choice
/// over *all* columns (ε-complementary slackness), the assignment costs at most `n·ε` more than
/// the optimum; the prices then also give a lower bound on the optimum (the dual objective):
/// `lowerBound ≤ optimum ≤ cost ≤ lowerBound + n·ε` (up to Float rounding of the costs).
///
/// Speed: rows bid only over a short candidate list (their `candidates` nearest columns plus
/// the column of an initial matching, so a perfect matching always exists among candidates).
/// After the last phase a SIMD pass recomputes every row's costs to all columns (no n × n matrix
/// is stored) and checks ε-slackness; rows that fail get their best columns added and bid
/// again, until the check passes. The bound is therefore the same as for the dense auction.
/// Its time beside SciPy's exact solver is in the PointCloud README's benchmark table.
enum AuctionAssignment {
    struct Result {
        var assignment: [Int]     // column of each row
        var cost: Double          // Σ cost[i, assignment[i]]
        var lowerBound: Double    // dual objective: a lower bound on the optimal cost
        var epsilon: Double       // final ε: cost − optimum ≤ n·ε
        var bids: Int
        var repairs: Int          // candidate columns added by the global checks
        var checks: Int           // global ε-slackness passes
    }

    /// Matches the points of `a` to those of `b` (equal counts) minimising the summed Euclidean
    /// distance, to within `epsilon` per point.
    static func solve(_ a: PackedPoints, _ b: PackedPoints, epsilon: Double, candidates: Int = 32) -> Result {
        precondition(a.count == b.count && a.count > 1, "AuctionAssignment: \(a.count) and \(b.count) points")
        let n = a.count
        // An upper bound on every cost: the diagonal of the box around both clouds.
        var low = a.point(0), high = a.point(0)
        for i in 0 ..< n {
            low = pointwiseMin(low, pointwiseMin(a.point(i), b.point(i)))
            high = pointwiseMax(high, pointwiseMax(a.point(i), b.point(i)))
        }
        let diagonal = ((high - low) * (high - low)).sum().squareRoot()
        var state = AuctionState(a, b, candidates: min(candidates, n - 1))
        defer { state.deallocate() }
        return state.run(epsilon: epsilon, largestCost: max(diagonal, .leastNormalMagnitude))
    }
}
