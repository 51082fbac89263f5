extension GraphBatch {
    /// The graphs at `indices`, in that order, with their nodes, features, conditions and weights.
    public func selecting(graphs indices: [Int]) -> GraphBatch {
        let f = layout.nodeCount == 0 ? 0 : features.count / layout.nodeCount
        let c = layout.graphCount == 0 ? 0 : condition.count / layout.graphCount
        var result = GraphBatch(layout: GraphLayout(nodeCounts: indices.map { layout.nodes(ofGraph: $0).count }),
                                positions: [], features: [], condition: [], weights: weights.map { w in indices.map { w[$0] } })
        for g in indices {
            let nodes = layout.nodes(ofGraph: g)
            result.positions += positions[(3 * nodes.lowerBound) ..< (3 * nodes.upperBound)]
            result.features += features[(f * nodes.lowerBound) ..< (f * nodes.upperBound)]
            result.condition += condition[(c * g) ..< (c * g + c)]
        }
        return result
    }

    /// This batch's graphs followed by `other`'s (the same feature and condition widths).
    /// Weights absent on one side count as 1.
    public func appending(_ other: GraphBatch) -> GraphBatch {
        let weights: [Float]? = (self.weights == nil && other.weights == nil) ? nil
            : (self.weights ?? [Float](repeating: 1, count: layout.graphCount))
                + (other.weights ?? [Float](repeating: 1, count: other.layout.graphCount))
        return GraphBatch(layout: GraphLayout(nodeCounts: layout.nodeCounts + other.layout.nodeCounts),
                          positions: positions + other.positions, features: features + other.features,
                          condition: condition + other.condition, weights: weights)
    }
}
