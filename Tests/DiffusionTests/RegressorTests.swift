import Testing
import TestSupport
@testable import Diffusion

/// The EGNN regressor: its backward against finite differences (parameters and inputs), its
/// invariance, and that it learns a property known exactly.
@Suite struct RegressorTests {
    static let configurations: [EGNNRegressorConfiguration] = [
        EGNNRegressorConfiguration(featureWidth: 3, layers: 2, hidden: 8, readoutWidth: 4, headHidden: 5, pooling: .sum),
        EGNNRegressorConfiguration(featureWidth: 2, layers: 2, hidden: 6, readoutWidth: 3, headHidden: 4, pooling: .mean),
    ]

    /// Weights where every path matters: the backbone as `testParameters` makes it, the head
    /// random (its skip and bias included, which start at zero).
    static func parameters(_ regressor: EGNNRegressor, seed: UInt64) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        var p = testParameters(regressor.backbone, seed: seed)
        p += (0 ..< regressor.head.parameterCount).map { _ in Float.random(in: -0.5 ... 0.5, using: &rng) }
        return p
    }

    /// L = Σ_g c_g y_g with fixed c.
    static func probe(graphs: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0 ..< graphs).map { _ in Double.random(in: -1 ... 1, using: &rng) }
    }

    @Test(arguments: configurations.indices)
    func parameterGradientsMatchFiniteDifferences(configuration index: Int) {
        let regressor = EGNNRegressor(Self.configurations[index])
        let input = tinyBatch(nodeCounts: [3, 5, 4], featureWidth: regressor.featureWidth, seed: 7)
        let theta = Self.parameters(regressor, seed: 11)
        let c = Self.probe(graphs: 3, seed: 13)
        var grad = [Float](repeating: 0, count: regressor.parameterCount)
        _ = regressor.lossAndGradient(input, parameters: theta, gradient: &grad) { y in
            (zip(c, y).reduce(0) { $0 + $1.0 * $1.1 }, c)
        }
        let f = { (p: [Float]) in zip(c, regressor.predict(input, parameters: p)).reduce(0) { $0 + $1.0 * $1.1 } }
        let b = regressor.backbone.parameterCount
        let head = regressor.head, w = head.width, h = head.hidden
        // The backbone's tensors but the last coordinate update (unused: no gradient), then the head's.
        var tensors = GradientTests.tensors(regressor.backbone).filter { !$0.0.hasPrefix("layer 1 coord") }
        tensors += [("head W1", b ..< b + w * h), ("head b1", b + w * h ..< b + w * h + h),
                    ("head w2", b + w * h + h ..< b + w * h + 2 * h), ("head w_s", b + w * h + 2 * h ..< b + w * h + 2 * h + w),
                    ("head b2", regressor.parameterCount - 1 ..< regressor.parameterCount)]
        for (seed, (name, range)) in tensors.enumerated() {
            let v = GradientTests.randomDirection(count: theta.count, support: range, seed: UInt64(seed))
            let analytic = zip(grad, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let result = GradientTests.check(analytic, f, at: theta, direction: v)
            #expect(result.agrees, "\(name): backward \(analytic), finite differences \(result.numeric)")
        }
        // The last coordinate update does not reach the output.
        let last = regressor.backbone.layout.blocks[1]
        #expect(grad[last.coordW1 ..< last.coordW3 + h].allSatisfy { $0 == 0 })
    }

    @Test(arguments: configurations.indices)
    func inputGradientsMatchFiniteDifferences(configuration index: Int) {
        let regressor = EGNNRegressor(Self.configurations[index])
        let input = tinyBatch(nodeCounts: [4, 6], featureWidth: regressor.featureWidth, seed: 3)
        let theta = Self.parameters(regressor, seed: 5)
        // Large enough weights that the mean-pooled features' derivatives stand well above the Float noise.
        let c = Self.probe(graphs: 2, seed: 17).map { 5 * $0 }
        var grad = [Float](repeating: 0, count: regressor.parameterCount)
        var dz = GraphTensors()
        _ = regressor.lossAndGradient(input, parameters: theta, gradient: &grad, inputGradient: &dz) { y in
            (zip(c, y).reduce(0) { $0 + $1.0 * $1.1 }, c)
        }
        #expect(dz.positions.count == input.positions.count && dz.features.count == input.features.count)
        func check(_ field: WritableKeyPath<DenoiserInput, [Float]>, _ backward: [Float], seed: UInt64, _ what: String) {
            let v = GradientTests.randomDirection(count: backward.count, support: 0 ..< backward.count, seed: seed)
            let f = { (values: [Float]) -> Double in
                var moved = input
                moved[keyPath: field] = values
                return zip(c, regressor.predict(moved, parameters: theta)).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let analytic = zip(backward, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let result = GradientTests.check(analytic, f, at: input[keyPath: field], direction: v)
            #expect(result.agrees, "\(what): backward \(analytic), finite differences \(result.numeric)")
            #expect(abs(analytic) >= 10 * GradientTests.absoluteFloor, "\(what): derivative \(analytic) too small to test")
        }
        for seed in 0 ..< 3 {
            check(\.positions, dz.positions, seed: UInt64(40 + seed), "positions")
            check(\.features, dz.features, seed: UInt64(50 + seed), "features")
        }
    }

    @Test(arguments: configurations.indices)
    func predictionsAreInvariantToRotationReflectionTranslationAndPermutation(configuration index: Int) {
        let regressor = EGNNRegressor(Self.configurations[index])
        let input = tinyBatch(nodeCounts: [4, 5], featureWidth: regressor.featureWidth, seed: 21)
        let theta = Self.parameters(regressor, seed: 22)
        let base = regressor.predict(input, parameters: theta)
        var moved = input
        moved.positions = transform(input.positions, rotation: randomRotoreflection(seed: 23), translation: [1.5, -2, 0.7])
        expectClose(regressor.predict(moved, parameters: theta), base, tolerance: 1e-4, relative: 1e-4, "rotated, reflected, translated")
        // Permute the nodes within each graph.
        let f = regressor.featureWidth
        var permuted = input
        for g in 0 ..< input.layout.graphCount {
            let nodes = Array(input.layout.nodes(ofGraph: g))
            for (k, i) in nodes.enumerated() {
                let j = nodes[(k + 2) % nodes.count]
                for d in 0 ..< 3 { permuted.positions[3 * i + d] = input.positions[3 * j + d] }
                for d in 0 ..< f { permuted.features[f * i + d] = input.features[f * j + d] }
            }
        }
        expectClose(regressor.predict(permuted, parameters: theta), base, tolerance: 1e-4, relative: 1e-4, "permuted")
        // Not invariant to a change of shape: one node moved changes its graph's prediction only.
        var stretched = input
        stretched.positions[0] += 0.5
        let changed = regressor.predict(stretched, parameters: theta)
        #expect(!largestDifference(changed[0 ..< 1], base[0 ..< 1], tolerance: 1e-3).isWithinBound, "moving a node changed nothing")
        expectClose(changed[1 ..< 2], base[1 ..< 2], tolerance: 1e-6, "the other graph")
    }

    @Test func gradientIsAddedNotAssigned() {
        let regressor = EGNNRegressor(Self.configurations[0])
        let input = tinyBatch(nodeCounts: [3, 4], featureWidth: regressor.featureWidth, seed: 1)
        let theta = Self.parameters(regressor, seed: 2)
        var once = [Float](repeating: 0, count: regressor.parameterCount)
        _ = regressor.lossAndGradient(input, parameters: theta, gradient: &once) { y in (y.reduce(0, +), y.map { _ in 1 }) }
        var twice = once
        _ = regressor.lossAndGradient(input, parameters: theta, gradient: &twice) { y in (y.reduce(0, +), y.map { _ in 1 }) }
        expectClose(twice, once.map { 2 * $0 }, tolerance: 1e-6, relative: 1e-6, "two accumulations")
    }
}
