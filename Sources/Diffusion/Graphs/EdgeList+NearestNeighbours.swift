extension EdgeList {
    /// Each node i receives from its k nearest other nodes of the same graph
    /// (all of them when the graph has at most k + 1 nodes), by Euclidean
    /// distance between `positions` `[nodes, 3]`; ties go to the lower index.
    /// Selection is a step function of the positions, so the denoiser treats
    /// it as constant (no gradient flows through the choice of neighbours).
    /// Brute force, O(n²) per graph of n nodes (n = 2048: ~4 M distances).
    public init(nearestNeighbours k: Int, layout: GraphLayout, positions: [Float]) {
        self.init()
        rebuildNearestNeighbours(k: k, layout: layout, positions: positions)
    }

    public mutating func rebuildNearestNeighbours(k: Int, layout: GraphLayout, positions: [Float]) {
        precondition(k >= 1, "k must be at least 1 (got \(k))")
        precondition(positions.count == layout.nodeCount * 3,
                     "positions: \(positions.count) values for \(layout.nodeCount) nodes × 3")
        beginRebuild(nodes: layout.nodeCount, edges: Connectivity.nearestNeighbours(k: k).edgeCount(layout))
        var distances = [Float]()
        var order = [Int32]()
        positions.withUnsafeBufferPointer { x in
            for g in 0 ..< layout.graphCount {
                let nodes = layout.nodes(ofGraph: g)
                let kk = min(k, max(nodes.count - 1, 0))
                distances.removeAll(keepingCapacity: true)
                distances.append(contentsOf: repeatElement(0, count: nodes.count))
                for i in nodes {
                    let xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2]
                    for (a, j) in nodes.enumerated() {
                        let dx = x[3 * j] - xi, dy = x[3 * j + 1] - yi, dz = x[3 * j + 2] - zi
                        distances[a] = j == i ? .infinity : dx * dx + dy * dy + dz * dz
                    }
                    selectSmallest(kk, of: distances, into: &order)
                    for a in order { append(sender: nodes.lowerBound + Int(a), receiver: i) }
                    endRow()
                }
            }
        }
    }
}

/// Indices of the `k` smallest values, ascending by (value, index), in `order`.
/// A bounded max-heap: O(n log k).
private func selectSmallest(_ k: Int, of values: [Float], into order: inout [Int32]) {
    order.removeAll(keepingCapacity: true)
    guard k > 0 else { return }
    // Heap of (value, index) with the largest on top.
    func greater(_ a: Int32, _ b: Int32) -> Bool {
        let va = values[Int(a)], vb = values[Int(b)]
        return va > vb || (va == vb && a > b)
    }
    func siftDown(_ start: Int) {
        var p = start
        while true {
            let l = 2 * p + 1, r = l + 1
            var top = p
            if l < order.count && greater(order[l], order[top]) { top = l }
            if r < order.count && greater(order[r], order[top]) { top = r }
            if top == p { return }
            order.swapAt(p, top)
            p = top
        }
    }
    for index in 0 ..< values.count {
        let candidate = Int32(index)
        if order.count < k {
            order.append(candidate)
            var c = order.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                if !greater(order[c], order[p]) { break }
                order.swapAt(c, p)
                c = p
            }
        } else if greater(order[0], candidate) {
            order[0] = candidate
            siftDown(0)
        }
    }
    order.sort { greater($1, $0) }
}
