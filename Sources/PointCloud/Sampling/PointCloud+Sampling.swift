extension PointCloud {
    /// `count` distinct points chosen uniformly at random (a partial Fisher–Yates shuffle), in
    /// the order drawn. Requires `count <= self.count`.
    public func randomSubset(count: Int, using generator: inout some RandomNumberGenerator) -> PointCloud {
        precondition(count >= 0 && count <= self.count, "randomSubset: \(count) points asked of a cloud of \(self.count)")
        var indices = Array(0 ..< self.count)
        for i in 0 ..< count {
            let j = Int.random(in: i ..< indices.count, using: &generator)
            indices.swapAt(i, j)
        }
        return selecting(Array(indices.prefix(count)))
    }

    /// Indices of `count` points chosen by farthest-point sampling: start from a random point,
    /// then repeatedly take the point farthest from those already chosen (Eldar et al. 1997;
    /// PointNet++'s sampling layer). O(N · count) time, O(N) memory.
    public func farthestPointIndices(count: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
        precondition(count >= 0 && count <= self.count, "farthestPointIndices: \(count) points asked of a cloud of \(self.count)")
        guard count > 0 else { return [] }
        let n = self.count
        // SoA copies vectorise the distance update.
        let xs = positions.map(\.x), ys = positions.map(\.y), zs = positions.map(\.z)
        var nearest = [Float](repeating: .infinity, count: n)   // squared distance to the chosen set
        var chosen = [Int]()
        chosen.reserveCapacity(count)
        var current = Int.random(in: 0 ..< n, using: &generator)
        for _ in 0 ..< count {
            chosen.append(current)
            let cx = xs[current], cy = ys[current], cz = zs[current]
            var best: Float = -1
            var bestIndex = 0
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    zs.withUnsafeBufferPointer { z in
                        nearest.withUnsafeMutableBufferPointer { d in
                            for i in 0 ..< n {
                                let dx = x[i] - cx, dy = y[i] - cy, dz = z[i] - cz
                                let distance = min(d[i], dx * dx + dy * dy + dz * dz)
                                d[i] = distance
                                if distance > best { best = distance; bestIndex = i }
                            }
                        }
                    }
                }
            }
            current = bestIndex
        }
        return chosen
    }

    /// `count` points chosen by farthest-point sampling (see `farthestPointIndices`).
    public func farthestPointSubset(count: Int, using generator: inout some RandomNumberGenerator) -> PointCloud {
        selecting(farthestPointIndices(count: count, using: &generator))
    }
}
