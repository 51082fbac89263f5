import Testing
import TestSupport
@testable import Diffusion

/// e3nn-style checks: transform the input, run the network, and compare with
/// the transformed output. ε̂_x must rotate (and reflect) with the input and
/// ignore translations; ε̂_h must not change; a node permutation permutes both.
/// Each check runs without and with global mean pooling (a per-graph mean of h is
/// invariant, so pooling must keep every symmetry).
@Suite struct EquivarianceTests {
    static let molecule = EGNNConfiguration(featureWidth: 6, conditionWidth: 1, layers: 3, hidden: 16)

    static func molecule(pooling: GlobalPooling) -> EGNNConfiguration {
        var c = molecule
        c.globalPooling = pooling
        return c
    }

    /// A point-cloud model: translation symmetry on k-nearest-neighbour graphs.
    static func pointCloud(pooling: GlobalPooling) -> EGNNConfiguration {
        EGNNConfiguration(featureWidth: 2, layers: 2, hidden: 8, symmetry: .translation, connectivity: .nearestNeighbours(k: 4),
                          globalPooling: pooling)
    }

    @Test(arguments: GlobalPooling.allCases)
    func euclideanModelIsE3Equivariant(pooling: GlobalPooling) {
        let egnn = EGNN(Self.molecule(pooling: pooling))
        let input = tinyBatch(nodeCounts: [9, 5, 12], featureWidth: 6, conditionWidth: 1, seed: 21)
        let theta = testParameters(egnn, seed: 22)
        let base = egnn.predict(input, parameters: theta)
        let r = randomRotoreflection(seed: 23)
        var moved = input
        moved.positions = transform(input.positions, rotation: r, translation: [3.5, -2, 7])
        let out = egnn.predict(moved, parameters: theta)
        expectClose(out.positions, transform(base.positions, rotation: r), tolerance: 1e-4, relative: 1e-4, "ε̂_x under R x + t")
        expectClose(out.features, base.features, tolerance: 1e-4, relative: 1e-4, "ε̂_h under R x + t")
    }

    @Test(arguments: GlobalPooling.allCases)
    func outputsPermuteWithNodes(pooling: GlobalPooling) {
        let egnn = EGNN(Self.molecule(pooling: pooling))
        let input = tinyBatch(nodeCounts: [7, 4], featureWidth: 6, conditionWidth: 1, seed: 31)
        let theta = testParameters(egnn, seed: 32)
        let base = egnn.predict(input, parameters: theta)
        // Reverse graph 0's nodes and rotate graph 1's by one place: new node k takes old node perm[k].
        let perm = [6, 5, 4, 3, 2, 1, 0, 8, 9, 10, 7]
        func permuted(_ v: [Float], width: Int) -> [Float] { perm.flatMap { v[$0 * width ..< ($0 + 1) * width] } }
        var moved = input
        moved.positions = permuted(input.positions, width: 3)
        moved.features = permuted(input.features, width: 6)
        let out = egnn.predict(moved, parameters: theta)
        expectClose(out.positions, permuted(base.positions, width: 3), tolerance: 1e-4, relative: 1e-4, "ε̂_x under a permutation")
        expectClose(out.features, permuted(base.features, width: 6), tolerance: 1e-4, relative: 1e-4, "ε̂_h under a permutation")
    }

    @Test(arguments: GlobalPooling.allCases)
    func positionOutputHasZeroMeanPerGraph(pooling: GlobalPooling) {
        let egnn = EGNN(Self.molecule(pooling: pooling))
        let input = tinyBatch(nodeCounts: [5, 8], featureWidth: 6, conditionWidth: 1, seed: 41)
        let out = egnn.predict(input, parameters: testParameters(egnn, seed: 42))
        for g in 0 ..< input.layout.graphCount {
            for a in 0 ..< 3 {
                let mean = input.layout.nodes(ofGraph: g).reduce(0.0) { $0 + Double(out.positions[3 * $1 + a]) }
                #expect(abs(mean) < 1e-5, "graph \(g) axis \(a): mean \(mean)")
            }
        }
    }

    @Test(arguments: GlobalPooling.allCases)
    func nearestNeighbourModelIsTranslationEquivariant(pooling: GlobalPooling) {
        let egnn = EGNN(Self.pointCloud(pooling: pooling))
        let input = tinyBatch(nodeCounts: [40, 25], featureWidth: 2, seed: 51)
        let theta = testParameters(egnn, seed: 52)
        let base = egnn.predict(input, parameters: theta)
        var moved = input
        moved.positions = transform(input.positions, rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [-4, 2.5, 1])
        let out = egnn.predict(moved, parameters: theta)
        expectClose(out.positions, base.positions, tolerance: 1e-4, relative: 1e-4, "ε̂_x under a translation (kNN)")
        expectClose(out.features, base.features, tolerance: 1e-4, relative: 1e-4, "ε̂_h under a translation (kNN)")
    }

    @Test(arguments: GlobalPooling.allCases)
    func nearestNeighbourModelOutputsPermuteWithNodes(pooling: GlobalPooling) {
        let egnn = EGNN(Self.pointCloud(pooling: pooling))
        let input = tinyBatch(nodeCounts: [30, 20], featureWidth: 2, seed: 55)
        let theta = testParameters(egnn, seed: 56)
        let base = egnn.predict(input, parameters: theta)
        // Graph 0 reversed, graph 1 rotated by seven places: new node k takes old node perm[k].
        let perm = Array((0 ..< 30).reversed()) + (0 ..< 20).map { 30 + ($0 + 7) % 20 }
        func permuted(_ v: [Float], width: Int) -> [Float] { perm.flatMap { v[$0 * width ..< ($0 + 1) * width] } }
        var moved = input
        moved.positions = permuted(input.positions, width: 3)
        moved.features = permuted(input.features, width: 2)
        let out = egnn.predict(moved, parameters: theta)
        expectClose(out.positions, permuted(base.positions, width: 3), tolerance: 1e-4, relative: 1e-4, "ε̂_x under a permutation (kNN)")
        expectClose(out.features, permuted(base.features, width: 2), tolerance: 1e-4, relative: 1e-4, "ε̂_h under a permutation (kNN)")
    }

    @Test(arguments: GlobalPooling.allCases)
    func nearestNeighbourEuclideanModelIsE3Equivariant(pooling: GlobalPooling) {
        let c = EGNNConfiguration(featureWidth: 2, layers: 2, hidden: 8, connectivity: .nearestNeighbours(k: 5), globalPooling: pooling)
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: [30], featureWidth: 2, seed: 61)
        let theta = testParameters(egnn, seed: 62)
        let base = egnn.predict(input, parameters: theta)
        let r = randomRotoreflection(seed: 63)
        var moved = input
        moved.positions = transform(input.positions, rotation: r, translation: [1, 1, -3])
        let out = egnn.predict(moved, parameters: theta)
        expectClose(out.positions, transform(base.positions, rotation: r), tolerance: 1e-4, relative: 1e-4, "ε̂_x under R x + t (kNN)")
        expectClose(out.features, base.features, tolerance: 1e-4, relative: 1e-4, "ε̂_h under R x + t (kNN)")
    }

    @Test(arguments: GlobalPooling.allCases)
    func translationModelSeesAbsoluteOrientation(pooling: GlobalPooling) {
        // With .translation the centred positions are features, so a rotation must change ε̂_h.
        let c = EGNNConfiguration(featureWidth: 2, layers: 1, hidden: 8, symmetry: .translation, globalPooling: pooling)
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: [6], featureWidth: 2, seed: 71)
        let theta = testParameters(egnn, seed: 72)
        var moved = input
        moved.positions = transform(input.positions, rotation: randomRotoreflection(seed: 73))
        let change = largestDifference(egnn.predict(moved, parameters: theta).features, egnn.predict(input, parameters: theta).features,
                                       tolerance: 1e-3, relative: 1e-3)
        #expect(!change.isWithinBound, "ε̂_h did not change under a rotation: \(change)")
    }
}
