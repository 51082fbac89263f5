/// Directed edges (i ← j) of a batch of graphs, sorted by receiver i: the
/// edges into node i are `rowOffsets[i] ..< rowOffsets[i + 1]` and edge e
/// carries the message from `senders[e]` to its receiver. Sums into receivers
/// are then contiguous segment sums; only sums into senders scatter.
///
/// In EGNN notation (Satorras et al. 2021, eq. 3–6) edge e = (i, j) feeds
/// φ_e(h_i, h_j, ‖x_i − x_j‖², a_ij) and its message is aggregated at i.
public struct EdgeList: Sendable, Equatable {
    /// Sender j of each edge: `[edges]`.
    public private(set) var senders: [Int32] = []
    /// Receiver i of each edge: `[edges]` (redundant with `rowOffsets`, kept for the per-edge geometry).
    public private(set) var receivers: [Int32] = []
    /// First edge into each node, then the edge count: `[nodes + 1]`.
    public private(set) var rowOffsets: [Int32] = [0]

    public init() {}

    public var edgeCount: Int { senders.count }
    public var nodeCount: Int { rowOffsets.count - 1 }

    /// Every ordered pair (i, j), i ≠ j, within each graph: Σ_g n_g(n_g − 1) edges, no padding.
    public init(fullyConnected layout: GraphLayout) {
        rebuildFullyConnected(layout)
    }

    /// Rebuilds in place, reusing the arrays' storage.
    public mutating func rebuildFullyConnected(_ layout: GraphLayout) {
        let edges = Connectivity.fullyConnected.edgeCount(layout)
        precondition(edges < Int(Int32.max), "too many edges for 32-bit indices: \(edges)")
        beginRebuild(nodes: layout.nodeCount, edges: edges)
        for g in 0 ..< layout.graphCount {
            let nodes = layout.nodes(ofGraph: g)
            for i in nodes {
                for j in nodes where j != i {
                    senders.append(Int32(j))
                    receivers.append(Int32(i))
                }
                rowOffsets.append(Int32(senders.count))
            }
        }
    }

    mutating func beginRebuild(nodes: Int, edges: Int) {
        senders.removeAll(keepingCapacity: true)
        receivers.removeAll(keepingCapacity: true)
        rowOffsets.removeAll(keepingCapacity: true)
        // Grown with 25% headroom (as `ScratchBuffer`): batches of varying size then
        // settle after a few steps instead of reallocating at every new largest one.
        if senders.capacity < edges {
            senders.reserveCapacity(edges + edges / 4)
            receivers.reserveCapacity(edges + edges / 4)
        }
        if rowOffsets.capacity < nodes + 1 { rowOffsets.reserveCapacity(nodes + 1 + nodes / 4) }
        rowOffsets.append(0)
    }

    mutating func append(sender j: Int, receiver i: Int) {
        senders.append(Int32(j))
        receivers.append(Int32(i))
    }

    mutating func endRow() { rowOffsets.append(Int32(senders.count)) }
}
