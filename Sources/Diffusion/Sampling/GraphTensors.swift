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
        precondition(positions.count == layout.nodeCount * 3,
                     "positions: \(positions.count) values for \(layout.nodeCount) nodes × 3")
        var result = [Float](repeating: 0, count: layout.graphCount * 3)
        for g in 0 ..< layout.graphCount {
            let nodes = layout.nodes(ofGraph: g)
            guard !nodes.isEmpty else { continue }
            var sx = 0.0, sy = 0.0, sz = 0.0
            for i in nodes {
                sx += Double(positions[3 * i]); sy += Double(positions[3 * i + 1]); sz += Double(positions[3 * i + 2])
            }
            let n = Double(nodes.count)
            result[3 * g] = Float(sx / n); result[3 * g + 1] = Float(sy / n); result[3 * g + 2] = Float(sz / n)
        }
        return result
    }

    /// Subtracts each graph's mean position from its nodes (EDM's
    /// remove_mean_with_mask): projects onto the zero-centre-of-gravity
    /// subspace in which E(3)-invariant densities on positions live
    /// (Hoogeboom et al. 2022, §3.1; Köhler et al. 2020).
    public static func remove(from positions: inout [Float], layout: GraphLayout) {
        precondition(positions.count == layout.nodeCount * 3,
                     "positions: \(positions.count) values for \(layout.nodeCount) nodes × 3")
        positions.withUnsafeMutableBufferPointer { x in
            for g in 0 ..< layout.graphCount {
                let nodes = layout.nodes(ofGraph: g)
                guard !nodes.isEmpty else { continue }
                // Means in Double, as `means(of:layout:)`, subtracted in place: no temporary.
                var sx = 0.0, sy = 0.0, sz = 0.0
                for i in nodes { sx += Double(x[3 * i]); sy += Double(x[3 * i + 1]); sz += Double(x[3 * i + 2]) }
                let n = Double(nodes.count)
                let mx = Float(sx / n), my = Float(sy / n), mz = Float(sz / n)
                for i in nodes { x[3 * i] -= mx; x[3 * i + 1] -= my; x[3 * i + 2] -= mz }
            }
        }
    }
}
