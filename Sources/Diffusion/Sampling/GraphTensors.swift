/// Node values of a batch of graphs in diffusion space: data x, latents z_t
/// or noise ε. Shapes follow a `GraphLayout` held beside them.
public struct GraphTensors: Sendable, Equatable {
    /// `[nodes, 3]`, row-major.
    public var positions: [Float]
    /// `[nodes, featureWidth]`, row-major.
    public var features: [Float]

    public init(positions: [Float], features: [Float]) {
        self.positions = positions
        self.features = features
    }

    /// The same values as a denoiser output (e.g. the noise target ε).
    public init(_ output: DenoiserOutput) {
        self.init(positions: output.positions, features: output.features)
    }

    /// Empty tensors, to be sized by `resize(nodes:featureWidth:)`.
    public init() { self.init(positions: [], features: []) }

    /// Gives the arrays the shapes `[nodes, 3]` and `[nodes, featureWidth]`,
    /// zero-filled, reusing their storage: no allocation once they have been
    /// as large before (the buffers of a training or sampling loop).
    public mutating func resize(nodes: Int, featureWidth: Int) {
        positions.resizeKeepingCapacity(to: nodes * 3)
        features.resizeKeepingCapacity(to: nodes * featureWidth)
    }
}

extension Array where Element == Float {
    /// Zero-filled, `count` long, in the storage already held when it is large enough.
    mutating func resizeKeepingCapacity(to count: Int) {
        removeAll(keepingCapacity: true)
        append(contentsOf: repeatElement(0, count: count))
    }
}

/// Per-graph centre of gravity on flat `[nodes, 3]` positions.
public enum CenterOfMass {
    /// Mean position of each graph: `[graphs, 3]` (zero for an empty graph).
    public static func means(of positions: [Float], layout: GraphLayout) -> [Float] {
        check(positions, layout)
        var result = [Float](repeating: 0, count: layout.graphCount * 3)
        positions.withUnsafeBufferPointer { x in
            for g in 0 ..< layout.graphCount {
                (result[3 * g], result[3 * g + 1], result[3 * g + 2]) = mean(x, layout.nodes(ofGraph: g))
            }
        }
        return result
    }

    /// Subtracts each graph's mean position from its nodes (EDM's
    /// remove_mean_with_mask): projects onto the zero-centre-of-gravity
    /// subspace in which E(3)-invariant densities on positions live
    /// (Hoogeboom et al. 2022, §3.1; Köhler et al. 2020). In place, no temporary.
    public static func remove(from positions: inout [Float], layout: GraphLayout) {
        check(positions, layout)
        positions.withUnsafeMutableBufferPointer { x in
            for g in 0 ..< layout.graphCount {
                let nodes = layout.nodes(ofGraph: g)
                let (mx, my, mz) = mean(UnsafeBufferPointer(x), nodes)
                for i in nodes { x[3 * i] -= mx; x[3 * i + 1] -= my; x[3 * i + 2] -= mz }
            }
        }
    }

    /// Mean of rows `nodes` of x `[N, 3]`, summed in Double (zero for no nodes).
    private static func mean(_ x: UnsafeBufferPointer<Float>, _ nodes: Range<Int>) -> (Float, Float, Float) {
        guard !nodes.isEmpty else { return (0, 0, 0) }
        var sx = 0.0, sy = 0.0, sz = 0.0
        for i in nodes { sx += Double(x[3 * i]); sy += Double(x[3 * i + 1]); sz += Double(x[3 * i + 2]) }
        let n = Double(nodes.count)
        return (Float(sx / n), Float(sy / n), Float(sz / n))
    }

    private static func check(_ positions: [Float], _ layout: GraphLayout) {
        precondition(positions.count == layout.nodeCount * 3,
                     "positions: \(positions.count) values for \(layout.nodeCount) nodes × 3")
    }
}
