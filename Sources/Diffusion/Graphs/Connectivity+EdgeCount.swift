extension Connectivity {
    /// Directed edges of one graph of `n` nodes: n(n − 1) fully connected,
    /// n·min(k, n − 1) with k nearest neighbours.
    public func edgeCount(nodes n: Int) -> Int {
        switch self {
        case .fullyConnected: n * max(n - 1, 0)
        case .nearestNeighbours(let k): n * min(k, max(n - 1, 0))
        }
    }

    /// Directed edges of every graph of `layout` (no temporary array: called every step).
    public func edgeCount(_ layout: GraphLayout) -> Int {
        var total = 0
        for g in 0 ..< layout.graphCount { total += edgeCount(nodes: layout.nodes(ofGraph: g).count) }
        return total
    }
}
