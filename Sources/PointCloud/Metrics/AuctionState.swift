/// The working state of one auction: raw buffers, so the bidding loop runs without checks.
struct AuctionState {
    let a: PackedPoints, b: PackedPoints
    /// One row of costs, recomputed when a row is checked (no n × n matrix is ever stored).
    let rowCost: UnsafeMutablePointer<Float>      // [stride]
    let n: Int, stride: Int
    var capacity: Int                              // candidate slots per row
    var listColumn: UnsafeMutablePointer<Int32>    // [n, capacity]
    var listCost: UnsafeMutablePointer<Float>      // [n, capacity]: the candidates' costs, kept close
    var listCount: UnsafeMutablePointer<Int32>     // [n]
    let prices: UnsafeMutablePointer<Float>        // [stride]; padding columns priced out of reach
    let columnOwner: UnsafeMutablePointer<Int32>   // [stride]
    let rowColumn: UnsafeMutablePointer<Int32>     // [n]
    let queue: UnsafeMutablePointer<Int32>         // [n]
    let rowBest: UnsafeMutablePointer<Float>       // [n] min_j cost + price at the row's last check
    var rebid: [Int32] = []                        // rows that bid since the last check
    var tracking = false
    var queued = 0
    var bids = 0, repairs = 0, checks = 0
    let repairWidth = 4

    init(_ a: PackedPoints, _ b: PackedPoints, candidates: Int) {
        self.a = a
        self.b = b
        rowCost = .allocate(capacity: b.paddedCount)
        n = a.count
        stride = b.paddedCount
        capacity = candidates + 8
        listColumn = .allocate(capacity: n * capacity)
        listCost = .allocate(capacity: n * capacity)
        listCount = .allocate(capacity: n)
        prices = .allocate(capacity: stride)
        prices.initialize(repeating: 0, count: n)
        (prices + n).initialize(repeating: .greatestFiniteMagnitude / 4, count: stride - n)
        columnOwner = .allocate(capacity: stride)
        rowColumn = .allocate(capacity: n)
        queue = .allocate(capacity: n)
        rowBest = .allocate(capacity: n)
        buildCandidates(k: candidates)
    }

    func deallocate() {
        listColumn.deallocate(); listCost.deallocate(); listCount.deallocate(); prices.deallocate()
        columnOwner.deallocate(); rowColumn.deallocate(); queue.deallocate(); rowBest.deallocate(); rowCost.deallocate()
    }

    /// Row `i`'s costs (Euclidean distances to every point of `b`, SIMD) into `rowCost`, and the
    /// minimum of each 16-column block into `blockMin` when given.
    /// `squared`: leave the distances squared (same order, no square roots; for picking candidates).
    func computeRow(_ i: Int, blockMin: UnsafeMutablePointer<Float>? = nil, squared: Bool = false) {
        typealias V = SIMD8<Float>
        let out = UnsafeMutableRawPointer(rowCost)
        let x = V(repeating: a.x[i]), y = V(repeating: a.y[i]), z = V(repeating: a.z[i])
        b.x.withUnsafeBytes { bx in b.y.withUnsafeBytes { by in b.z.withUnsafeBytes { bz in
            var offset = 0
            var block = 0
            while offset < stride * 4 {
                var m = V(repeating: .infinity)
                for _ in 0 ..< min(2, (stride * 4 - offset) / 32) {
                    let dx = x - bx.loadUnaligned(fromByteOffset: offset, as: V.self)
                    let dy = y - by.loadUnaligned(fromByteOffset: offset, as: V.self)
                    let dz = z - bz.loadUnaligned(fromByteOffset: offset, as: V.self)
                    let d2 = dx * dx + dy * dy + dz * dz
                    let d = squared ? d2 : d2.squareRoot()
                    out.storeBytes(of: d, toByteOffset: offset, as: V.self)
                    m = m.replacing(with: d, where: d .< m)
                    offset += 32
                }
                blockMin?[block] = min(min(min(m[0], m[1]), min(m[2], m[3])), min(min(m[4], m[5]), min(m[6], m[7])))
                block += 1
            }
        }}}
    }

    /// Picks each row's `k` cheapest columns (the k-th smallest of the 16-column block minima
    /// bounds the k-th smallest cost, so only costs under it are sorted), plus column `i`, so
    /// the identity matching keeps the candidate graph perfectly matchable.
    mutating func buildCandidates(k: Int) {
        let blocks = (stride + 15) / 16
        let blockMin = UnsafeMutablePointer<Float>.allocate(capacity: blocks)
        let smallest = UnsafeMutablePointer<Float>.allocate(capacity: blocks)
        defer { blockMin.deallocate(); smallest.deallocate() }
        let row = UnsafePointer(rowCost)
        for i in 0 ..< n {
            computeRow(i, blockMin: blockMin, squared: true)
            // At least min(k, blocks) costs are ≤ bound: take every cost ≤ bound, keep the k cheapest.
            let rank = min(k, blocks)
            for a in 0 ..< blocks {   // the `rank` smallest block minima, sorted, in smallest[0..<rank]
                let value = blockMin[a]
                if a >= rank && value >= smallest[rank - 1] { continue }
                var b = min(a, rank - 1)
                while b > 0 && smallest[b - 1] > value { smallest[b] = smallest[b - 1]; b -= 1 }
                smallest[b] = value
            }
            let bound = smallest[rank - 1]
            var count = 0
            var hasIdentity = false
            let listC = listCost + i * capacity, listJ = listColumn + i * capacity
            for block in 0 ..< blocks where blockMin[block] <= bound {
            for j in (block * 16) ..< min(n, block * 16 + 16) where row[j] <= bound {
                let value = row[j]
                if count == k && value >= listC[k - 1] { continue }
                var slot = count == k ? k - 1 : count
                while slot > 0 && listC[slot - 1] > value {
                    listC[slot] = listC[slot - 1]; listJ[slot] = listJ[slot - 1]; slot -= 1
                }
                listC[slot] = value
                listJ[slot] = Int32(j)
                if count < k { count += 1 }
            }
            }
            for slot in 0 ..< count where listJ[slot] == Int32(i) { hasIdentity = true }
            if !hasIdentity { listJ[count] = Int32(i); listC[count] = row[i]; count += 1 }
            for slot in 0 ..< count { listC[slot] = listC[slot].squareRoot() }   // squared → Euclidean
            listCount[i] = Int32(count)
        }
    }

    /// Adds column `j` to row `i`'s list, growing every list if the row is full.
    mutating func addCandidate(row i: Int, column j: Int32) {
        if Int(listCount[i]) == capacity {
            let newCapacity = capacity * 2
            let grownColumn = UnsafeMutablePointer<Int32>.allocate(capacity: n * newCapacity)
            let grownCost = UnsafeMutablePointer<Float>.allocate(capacity: n * newCapacity)
            for r in 0 ..< n {
                (grownColumn + r * newCapacity).update(from: listColumn + r * capacity, count: Int(listCount[r]))
                (grownCost + r * newCapacity).update(from: listCost + r * capacity, count: Int(listCount[r]))
            }
            listColumn.deallocate(); listCost.deallocate()
            listColumn = grownColumn; listCost = grownCost
            capacity = newCapacity
        }
        listColumn[i * capacity + Int(listCount[i])] = j
        listCost[i * capacity + Int(listCount[i])] = rowCost[Int(j)]   // row i was just computed
        listCount[i] += 1
        repairs += 1
    }

    /// Bids until every queued row is assigned (Gauss–Seidel, candidates only).
    mutating func bidUntilAssigned(epsilon: Float) {
        while queued > 0 {
            queued -= 1
            let row = Int(queue[queued])
            bids += 1
            if tracking { rebid.append(Int32(row)) }
            let list = listColumn + row * capacity, listC = listCost + row * capacity
            var w1 = Float.infinity, w2 = Float.infinity, column = 0
            for slot in 0 ..< Int(listCount[row]) {
                let j = Int(list[slot])
                let w = listC[slot] + prices[j]
                if w < w1 { w2 = w1; w1 = w; column = j } else if w < w2 { w2 = w }
            }
            if !w2.isFinite { w2 = w1 }   // a single candidate: bid just ε
            prices[column] += (w2 - w1) + epsilon
            let previousOwner = columnOwner[column]
            columnOwner[column] = Int32(row)
            rowColumn[row] = Int32(column)
            if previousOwner >= 0 {
                rowColumn[Int(previousOwner)] = -1
                queue[queued] = previousOwner
                queued += 1
            }
        }
    }

    /// Checks ε-slackness of `rows` against every column (SIMD): a row whose assigned column is
    /// more than ε above its best `cost + price` gets its best columns as candidates and is
    /// queued to bid again. Records each checked row's best value in `rowBest`.
    ///
    /// A row that passed keeps passing while it stays assigned: its own column's price is
    /// unchanged (a bid on it would have displaced the row) and every other price only rises.
    /// So after the first full pass only rows assigned since need checking, and the stale
    /// `rowBest` values still give a valid dual (lower) bound.
    mutating func checkSlackness(rows: [Int32], epsilon: Float) {
        typealias V = SIMD8<Float>
        let priceRaw = UnsafeRawPointer(prices)
        for row in rows {
            let i = Int(row)
            computeRow(i)
            let raw = UnsafeRawPointer(rowCost)
            var m = V(repeating: .infinity)
            var offset = 0
            for _ in 0 ..< stride / 8 {
                let w = raw.loadUnaligned(fromByteOffset: offset, as: V.self) + priceRaw.loadUnaligned(fromByteOffset: offset, as: V.self)
                m = m.replacing(with: w, where: w .< m)
                offset += 32
            }
            let best = min(min(min(m[0], m[1]), min(m[2], m[3])), min(min(m[4], m[5]), min(m[6], m[7])))
            rowBest[i] = best
            let assigned = Int(rowColumn[i])
            guard assigned >= 0 else { continue }
            guard rowCost[assigned] + prices[assigned] > best + epsilon else { continue }
            // Add the row's `repairWidth` best columns that are not yet candidates.
            var top = [(Float, Int32)](repeating: (.infinity, -1), count: repairWidth)
            for j in 0 ..< n {
                let w = rowCost[j] + prices[j]
                guard w < top[repairWidth - 1].0 else { continue }
                var slot = repairWidth - 1
                while slot > 0 && top[slot - 1].0 > w { top[slot] = top[slot - 1]; slot -= 1 }
                top[slot] = (w, Int32(j))
            }
            for (_, j) in top where j >= 0 {
                let list = listColumn + i * capacity   // (re-read: adding may grow the lists)
                if !(0 ..< Int(listCount[i])).contains(where: { list[$0] == j }) { addCandidate(row: i, column: j) }
            }
            columnOwner[assigned] = -1
            rowColumn[i] = -1
            queue[queued] = Int32(i)
            queued += 1
        }
    }

    mutating func run(epsilon: Double, largestCost maxCost: Float) -> AuctionAssignment.Result {
        let finalEpsilon = Float(max(epsilon, Double(maxCost) * 1e-6))
        var eps = max(finalEpsilon, maxCost / 4)
        columnOwner.initialize(repeating: -1, count: stride)
        rowColumn.initialize(repeating: -1, count: n)
        for i in 0 ..< n { queue[i] = Int32(n - 1 - i) }
        queued = n
        while true {
            bidUntilAssigned(epsilon: eps)
            if eps <= finalEpsilon { break }
            eps = max(finalEpsilon, eps / 5)
            // A new phase, prices kept. Rows still within the new ε of their best candidate keep
            // their column (the classic method frees every row; this only saves bids, since the
            // final global check below certifies the result either way).
            for i in (0 ..< n).reversed() where rowColumn[i] >= 0 {
                let assigned = Int(rowColumn[i])
                let list = listColumn + i * capacity, listC = listCost + i * capacity
                var best = Float.infinity, own = Float.infinity
                for slot in 0 ..< Int(listCount[i]) {
                    let w = listC[slot] + prices[Int(list[slot])]
                    best = min(best, w)
                    if Int(list[slot]) == assigned { own = w }
                }
                if own > best + eps {
                    columnOwner[assigned] = -1
                    rowColumn[i] = -1
                    queue[queued] = Int32(i)
                    queued += 1
                }
            }
        }
        // Global ε-slackness: all rows once, then only the rows that bid again.
        checkSlackness(rows: (0 ..< Int32(n)).map { $0 }, epsilon: finalEpsilon)
        checks = 1
        tracking = true
        while queued > 0 {
            checks += 1
            rebid.removeAll(keepingCapacity: true)
            bidUntilAssigned(epsilon: finalEpsilon)
            checkSlackness(rows: Array(Set(rebid)).sorted(), epsilon: finalEpsilon)
        }
        // Dual objective Σ_i min_j (c_ij + p_j) − Σ_j p_j with each row's last checked minimum.
        var dual = 0.0
        for i in 0 ..< n { dual += Double(rowBest[i]) }
        for j in 0 ..< n { dual -= Double(prices[j]) }
        var total = 0.0
        var assignment = [Int](repeating: 0, count: n)
        for i in 0 ..< n {
            assignment[i] = Int(rowColumn[i])
            let d = a.point(i) - b.point(assignment[i])
            total += Double((d * d).sum().squareRoot())
        }
        return AuctionAssignment.Result(assignment: assignment, cost: total, lowerBound: min(dual, total),
                                        epsilon: Double(finalEpsilon), bids: bids, repairs: repairs, checks: checks)
    }
}
