/// Exact minimum-cost perfect matching of a square cost matrix by shortest augmenting paths
/// with dual potentials (the Hungarian method in the Jonker–Volgenant form, Kuhn 1955,
/// Jonker & Volgenant 1987). O(n³) time, O(n) extra memory, all arithmetic in Double.
enum HungarianAssignment {
    /// `cost(i, j)` for rows i and columns j in 0..<n; returns the column assigned to each row.
    static func solve(n: Int, cost: (Int, Int) -> Double) -> [Int] {
        guard n > 0 else { return [] }
        // 1-based arrays; index 0 is the virtual source row/column.
        var u = [Double](repeating: 0, count: n + 1)      // row potentials
        var v = [Double](repeating: 0, count: n + 1)      // column potentials
        var rowOfColumn = [Int](repeating: 0, count: n + 1)
        var previous = [Int](repeating: 0, count: n + 1)
        var minSlack = [Double](repeating: 0, count: n + 1)
        var used = [Bool](repeating: false, count: n + 1)
        for row in 1 ... n {
            rowOfColumn[0] = row
            var column0 = 0
            for j in 0 ... n { minSlack[j] = .infinity; used[j] = false }
            repeat {
                used[column0] = true
                let i0 = rowOfColumn[column0]
                var delta = Double.infinity
                var column1 = 0
                for j in 1 ... n where !used[j] {
                    let reduced = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if reduced < minSlack[j] { minSlack[j] = reduced; previous[j] = column0 }
                    if minSlack[j] < delta { delta = minSlack[j]; column1 = j }
                }
                for j in 0 ... n {
                    if used[j] { u[rowOfColumn[j]] += delta; v[j] -= delta } else { minSlack[j] -= delta }
                }
                column0 = column1
            } while rowOfColumn[column0] != 0
            repeat {   // augment along the path back to the source
                let column1 = previous[column0]
                rowOfColumn[column0] = rowOfColumn[column1]
                column0 = column1
            } while column0 != 0
        }
        var assignment = [Int](repeating: 0, count: n)
        for j in 1 ... n { assignment[rowOfColumn[j] - 1] = j - 1 }
        return assignment
    }
}
