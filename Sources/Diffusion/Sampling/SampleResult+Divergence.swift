/// Chains that diverge: a graph whose final x or h holds a non-finite value. A sampler with a
/// large step or much added noise (SDE-DPM-Solver++ with η = 5 on a coarse grid) sends about one
/// chain in a thousand there; `Sampler.generate` draws such a graph again.
extension SampleResult {
    /// Graphs with a non-finite position or feature, ascending.
    public var divergedGraphs: [Int] {
        let width = layout.nodeCount == 0 ? 0 : features.count / layout.nodeCount
        return (0 ..< layout.graphCount).filter { g in
            let nodes = layout.nodes(ofGraph: g)
            return positions[3 * nodes.lowerBound ..< 3 * nodes.upperBound].contains { !$0.isFinite }
                || features[width * nodes.lowerBound ..< width * nodes.upperBound].contains { !$0.isFinite }
        }
    }

    /// Replaces graph `graphs[i]`'s x and h by graph i of `redrawn`, which has those graphs' node
    /// counts in that order. The trajectory is left as it was.
    mutating func replace(graphs: [Int], with redrawn: SampleResult) {
        precondition(redrawn.layout.nodeCounts == graphs.map { layout.nodeCounts[$0] },
                     "redrawn graphs' node counts \(redrawn.layout.nodeCounts) differ from the originals'")
        let width = layout.nodeCount == 0 ? 0 : features.count / layout.nodeCount
        for (i, g) in graphs.enumerated() {
            let target = layout.nodes(ofGraph: g), source = redrawn.layout.nodes(ofGraph: i)
            positions.replaceSubrange(3 * target.lowerBound ..< 3 * target.upperBound,
                                      with: redrawn.positions[3 * source.lowerBound ..< 3 * source.upperBound])
            features.replaceSubrange(width * target.lowerBound ..< width * target.upperBound,
                                     with: redrawn.features[width * source.lowerBound ..< width * source.upperBound])
        }
    }
}
