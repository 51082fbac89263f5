/// How nodes of many graphs sit in one batch: graph `g` owns the contiguous
/// node range `nodeOffsets[g] ..< nodeOffsets[g + 1]`. No padding: a batch of
/// molecules with 9 to 29 atoms stores exactly their atoms.
public struct GraphLayout: Sendable, Equatable, Hashable {
    /// Start of each graph's nodes, then the total: `[graphs + 1]`, non-decreasing, first 0.
    public let nodeOffsets: [Int]

    /// Builds the layout of graphs with the given node counts.
    public init(nodeCounts: [Int]) {
        precondition(nodeCounts.allSatisfy { $0 >= 0 }, "node counts must be non-negative: \(nodeCounts)")
        var offsets = [0]
        offsets.reserveCapacity(nodeCounts.count + 1)
        for n in nodeCounts { offsets.append(offsets[offsets.count - 1] + n) }
        self.nodeOffsets = offsets
    }

    /// The layout of graphs `graphs` alone, their nodes numbered from 0 (one allocation).
    public func slice(graphs: Range<Int>) -> GraphLayout {
        precondition(graphs.lowerBound >= 0 && graphs.upperBound <= graphCount,
                     "graphs \(graphs) outside 0 ..< \(graphCount)")
        let first = nodeOffsets[graphs.lowerBound]
        return GraphLayout(checkedOffsets: nodeOffsets[graphs.lowerBound ... graphs.upperBound].map { $0 - first })
    }

    private init(checkedOffsets: [Int]) { self.nodeOffsets = checkedOffsets }

    public var graphCount: Int { nodeOffsets.count - 1 }
    public var nodeCount: Int { nodeOffsets[nodeOffsets.count - 1] }

    /// Nodes of graph `g`.
    public func nodes(ofGraph g: Int) -> Range<Int> { nodeOffsets[g] ..< nodeOffsets[g + 1] }

    /// Node counts per graph: `[graphs]`.
    public var nodeCounts: [Int] { (0 ..< graphCount).map { nodeOffsets[$0 + 1] - nodeOffsets[$0] } }

    /// The graph each node belongs to: `[nodes]`.
    public var graphOfNode: [Int32] {
        var result = [Int32](repeating: 0, count: nodeCount)
        for g in 0 ..< graphCount {
            for i in nodes(ofGraph: g) { result[i] = Int32(g) }
        }
        return result
    }
}
