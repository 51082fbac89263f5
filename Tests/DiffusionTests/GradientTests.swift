import Testing
import TestSupport
@testable import Diffusion

/// Finite-difference checks of the EGNN's explicit backward pass: each
/// parameter tensor and each input, along a random direction, against central
/// differences of L = ⟨a, ε̂_x⟩ + ⟨b, ε̂_h⟩ (Float network, Double loss).
///
/// The network is strongly curved in some directions (d² of up to ~30 enters
/// the first edge layer; the coordinate update is scaled by 15) and Float
/// rounding puts noise of ~10⁻⁵ on L, so no single step suits every tensor:
/// a check passes when one of the steps 3·10⁻², 10⁻², 3·10⁻³, 10⁻³ agrees to
/// 1% (plus 10⁻³ absolute, the size of the Float noise on the steepest directions). A wrong backward agrees at none of them.
@Suite struct GradientTests {
    static let configurations: [EGNNConfiguration] = [
        EGNNConfiguration(featureWidth: 4, layers: 2, hidden: 8),
        EGNNConfiguration(featureWidth: 3, conditionWidth: 2, layers: 2, hidden: 6, normalizationFactor: 3),
        EGNNConfiguration(featureWidth: 2, layers: 2, hidden: 8, symmetry: .translation, connectivity: .nearestNeighbours(k: 3)),
        // Global mean pooling in the node MLP, on a molecule-like and a point-cloud-like model.
        EGNNConfiguration(featureWidth: 4, conditionWidth: 1, layers: 2, hidden: 8, globalPooling: .mean),
        EGNNConfiguration(featureWidth: 2, layers: 2, hidden: 8, symmetry: .translation, connectivity: .nearestNeighbours(k: 3),
                          globalPooling: .mean),
    ]

    /// Fourth-order central difference of L along v:
    /// (−L(θ + 2hv) + 8L(θ + hv) − 8L(θ − hv) + L(θ − 2hv)) / 12h.
    static func centralDifference(_ f: ([Float]) -> Double, at x: [Float], direction v: [Float], step h: Float) -> Double {
        func at(_ s: Float) -> Double { f(zip(x, v).map { $0 + s * h * $1 }) }
        return (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * Double(h))
    }

    static let steps: [Float] = [3e-2, 1e-2, 3e-3, 1e-3]
    /// The absolute part of the tolerance, the size of the Float noise on the steepest directions.
    static let absoluteFloor = 1e-3

    /// The finite difference closest to `analytic`, and whether it agrees.
    static func check(_ analytic: Double, _ f: ([Float]) -> Double, at x: [Float], direction v: [Float]) -> (agrees: Bool, numeric: [Double]) {
        let numeric = steps.map { centralDifference(f, at: x, direction: v, step: $0) }
        let agrees = numeric.contains { abs($0 - analytic) <= 1e-2 * max(abs($0), abs(analytic)) + absoluteFloor }
        return (agrees, numeric)
    }

    static func randomDirection(count: Int, support: Range<Int>, seed: UInt64) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        var v = [Float](repeating: 0, count: count)
        for k in support { v[k] = Float.random(in: -1 ... 1, using: &rng) }
        return v
    }

    /// Every parameter tensor of the layout, as (name, range); with pooling the node W1's
    /// rows for the graph mean are a tensor of their own, so they are checked on their own.
    static func tensors(_ egnn: EGNN) -> [(String, Range<Int>)] {
        let l = egnn.layout, c = egnn.configuration, h = c.hidden
        var result = [("embedding W", l.embeddingW ..< l.embeddingW + c.embeddingInputWidth * h),
                      ("embedding b", l.embeddingB ..< l.embeddingB + h)]
        for (index, b) in l.blocks.enumerated() {
            let named: [(String, Int, Int)] = [
                ("edge W1", b.edgeW1, (2 * h + 2) * h), ("edge b1", b.edgeB1, h), ("edge W2", b.edgeW2, h * h),
                ("edge b2", b.edgeB2, h), ("attention w", b.attentionW, h), ("attention b", b.attentionB, 1),
                ("node W1", b.nodeW1, 2 * h * h), ("node b1", b.nodeB1, h), ("node W2", b.nodeW2, h * h), ("node b2", b.nodeB2, h),
                ("coord W1", b.coordW1, (2 * h + 2) * h), ("coord b1", b.coordB1, h), ("coord W2", b.coordW2, h * h),
                ("coord b2", b.coordB2, h), ("coord w3", b.coordW3, h),
            ]
            result += named.map { ("layer \(index) \($0.0)", $0.1 ..< $0.1 + $0.2) }
            if c.globalPooling == .mean { result.append(("layer \(index) node W1 (mean rows)", b.nodeW1 + 2 * h * h ..< b.nodeW1 + 3 * h * h)) }
        }
        let f = c.featureWidth
        result.append(("output W", l.outputW ..< l.outputW + h * c.embeddingOutputWidth))
        result.append(("output b[:F]", l.outputB ..< l.outputB + f))
        return result
    }

    @Test(arguments: configurations.indices)
    func parameterGradientsMatchFiniteDifferences(configuration index: Int) {
        let c = Self.configurations[index]
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: [3, 5, 4], featureWidth: c.featureWidth, conditionWidth: c.conditionWidth, seed: 7)
        let theta = testParameters(egnn, seed: 11)
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: c.featureWidth, seed: 13)
        var grad = [Float](repeating: 0, count: egnn.parameterCount)
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &grad, loss: probe.callAsFunction)
        let f = { (p: [Float]) in probe.value(egnn.predict(input, parameters: p)) }
        var small: [String] = []
        let tensors = Self.tensors(egnn)
        for (seed, (name, range)) in tensors.enumerated() {
            let v = Self.randomDirection(count: theta.count, support: range, seed: UInt64(seed))
            let analytic = zip(grad, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let result = Self.check(analytic, f, at: theta, direction: v)
            #expect(result.agrees, "\(name): backward \(analytic), finite differences \(result.numeric)")
            if abs(analytic) < 10 * Self.absoluteFloor { small.append("\(name) \(analytic)") }
        }
        // The absolute term would pass any backward whose derivatives are all tiny: most must be
        // well above it (the per-layer checks in LayerGradientTests are the tight ones).
        #expect(Double(small.count) <= 0.2 * Double(tensors.count), "derivatives under 10 × \(Self.absoluteFloor): \(small)")
    }

    @Test(arguments: configurations.indices)
    func inputGradientsMatchFiniteDifferences(configuration index: Int) {
        let c = Self.configurations[index]
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: [4, 6], featureWidth: c.featureWidth, conditionWidth: c.conditionWidth, seed: 3)
        let theta = testParameters(egnn, seed: 5)
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: c.featureWidth, seed: 17)
        var grad = [Float](repeating: 0, count: egnn.parameterCount)
        var dInput = DenoiserOutput(positions: [], features: [])
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &grad, inputGradient: &dInput, loss: probe.callAsFunction)
        /// ∂L/∂(an input: z_x or z_h) along `v` against central differences of the forward.
        func checkInput(_ field: WritableKeyPath<DenoiserInput, [Float]>, _ backward: [Float], along v: [Float], _ what: String) {
            let f = { (values: [Float]) -> Double in
                var moved = input
                moved[keyPath: field] = values
                return probe.value(egnn.predict(moved, parameters: theta))
            }
            let analytic = zip(backward, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let result = Self.check(analytic, f, at: input[keyPath: field], direction: v)
            #expect(result.agrees, "\(what): backward \(analytic), finite differences \(result.numeric)")
            #expect(abs(analytic) >= 10 * Self.absoluteFloor, "\(what): derivative \(analytic) too small to test")
        }
        func checkFeatures(along vh: [Float], _ what: String) { checkInput(\.features, dInput.features, along: vh, what) }
        for seed in 0 ..< 3 {
            checkInput(\.positions, dInput.positions, along: Self.randomDirection(
                count: input.positions.count, support: 0 ..< input.positions.count, seed: UInt64(40 + seed)), "positions")
            checkFeatures(along: Self.randomDirection(count: input.features.count, support: 0 ..< input.features.count,
                                                      seed: UInt64(50 + seed)), "features")
        }
        // A feature direction shared by every node of a graph: a random one mostly averages
        // out of a graph mean, this one reaches the global-pooling path in full.
        var rng = Xoshiro256StarStar(seed: 60)
        let perGraph = (0 ..< input.layout.graphCount * c.featureWidth).map { _ in Float.random(in: -1 ... 1, using: &rng) }
        var vh = [Float](repeating: 0, count: input.features.count)
        for g in 0 ..< input.layout.graphCount {
            for i in input.layout.nodes(ofGraph: g) {
                for k in 0 ..< c.featureWidth { vh[i * c.featureWidth + k] = perGraph[g * c.featureWidth + k] }
            }
        }
        checkFeatures(along: vh, "features, per-graph direction")
    }

    @Test func predictMatchesTheTrainingForward() {
        // predict skips keeping σ for a backward; both paths must give the same ε̂.
        let c = Self.configurations[1]
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: [5, 3, 6], featureWidth: c.featureWidth, conditionWidth: c.conditionWidth, seed: 9)
        let theta = testParameters(egnn, seed: 10)
        var seen = DenoiserOutput(positions: [], features: [])
        var grad = [Float](repeating: 0, count: egnn.parameterCount)
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &grad) { eps in
            seen = eps
            return (0, DenoiserOutput(positions: eps.positions.map { _ in 0 }, features: eps.features.map { _ in 0 }))
        }
        let predicted = egnn.predict(input, parameters: theta)
        expectClose(predicted.positions, seen.positions, tolerance: 1e-5, relative: 1e-5, "ε̂_x")
        expectClose(predicted.features, seen.features, tolerance: 1e-5, relative: 1e-5, "ε̂_h")
    }

    @Test func gradientIsAddedNotAssigned() {
        let c = Self.configurations[0]
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: [3, 4], featureWidth: c.featureWidth, seed: 1)
        let theta = testParameters(egnn, seed: 2)
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: c.featureWidth, seed: 3)
        var once = [Float](repeating: 0, count: egnn.parameterCount)
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &once, loss: probe.callAsFunction)
        var twice = once
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &twice, loss: probe.callAsFunction)
        expectClose(twice, once.map { 2 * $0 }, tolerance: 1e-6, relative: 1e-6, "two accumulations")
    }
}
