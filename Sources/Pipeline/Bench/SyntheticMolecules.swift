import Diffusion

/// Random molecules with QM9's statistics, as the peer benchmarks draw them
/// (shared/bench/peers/common.py): 9–29 atoms (normal, mean 18, sd 3, rounded
/// and clipped), atom types H, C, N, O, F with QM9's frequencies, Gaussian
/// positions (sd 1.5 Å) with the centre of mass removed. Features are raw
/// [one-hot(5), charge]; `scaling` is EDM's [1/4 one-hot, 1/10 charge].
struct SyntheticMolecules {
    static let typeProbabilities: [Double] = [0.51, 0.35, 0.056, 0.078, 0.006]
    static let charges: [Float] = [1, 6, 7, 8, 9]
    static let featureWidth = 6

    static func scaling() throws -> FeatureScaling {
        try FeatureScaling(blocks: [.init(width: 5, divisor: 4), .init(width: 1, divisor: 10)])
    }

    /// Molecule sizes: round(N(18, 3)) clipped to 9 ... 29.
    static func sizes(_ count: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
        (0 ..< count).map { _ in min(29, max(9, Int((18 + 3 * generator.nextStandardNormal()).rounded()))) }
    }

    static func batch(_ count: Int, using generator: inout some RandomNumberGenerator) -> GraphBatch {
        let layout = GraphLayout(nodeCounts: sizes(count, using: &generator))
        var positions = [Float](repeating: 0, count: layout.nodeCount * 3)
        var features = [Float](repeating: 0, count: layout.nodeCount * featureWidth)
        for g in 0 ..< layout.graphCount {
            let nodes = layout.nodes(ofGraph: g)
            var mean: [Double] = [0, 0, 0]
            for i in nodes {
                var u = generator.nextUnitInterval(), type = 0
                while type < 4 && u >= typeProbabilities[type] {
                    u -= typeProbabilities[type]
                    type += 1
                }
                features[i * featureWidth + type] = 1
                features[i * featureWidth + 5] = charges[type]
                for a in 0 ..< 3 {
                    let v = 1.5 * generator.nextStandardNormal()
                    positions[3 * i + a] = Float(v)
                    mean[a] += v / Double(nodes.count)
                }
            }
            for i in nodes { for a in 0 ..< 3 { positions[3 * i + a] -= Float(mean[a]) } }
        }
        return GraphBatch(layout: layout, positions: positions, features: features)
    }
}
