import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// f(z, t) = k_t z_h + b_t on one-feature graphs: an affine property whose guidance turns the
/// chain of N(0, s²) data into the exact chain of the tilted law p(x) exp(−λ (a − x)² / 2) =
/// N(μ*, v*), 1/v* = 1/s² + λ, μ* = v* λ a. At time t the marginals are p_t = N(0, A) and
/// p̃_t = N(α μ*, B) with A = α² s² + σ², B = α² v* + σ², so the score must gain
/// αμ*/B + (1/A − 1/B) z; guidance with w = 1 adds k (a − b − k z), which matches for
/// k = √(1/B − 1/A) and b = a − αμ*/(B k).
struct TiltProperty: DifferentiableGraphProperty {
    let dataScale: Double, tilt: Double, target: Double

    var tiltedVariance: Double { 1 / (1 / (dataScale * dataScale) + tilt) }
    var tiltedMean: Double { tiltedVariance * tilt * target }

    func coefficients(_ t: Int, _ process: DiffusionProcess) -> (k: Double, b: Double) {
        let a = process.schedule.alpha(at: t), s = process.schedule.sigma(at: t)
        let big = a * a * dataScale * dataScale + s * s, small = a * a * tiltedVariance + s * s
        let k = (1 / small - 1 / big).squareRoot()
        return (k, target - a * tiltedMean / (small * k))
    }

    func valueAndGradient(at z: GraphTensors, timestep: Int, layout: GraphLayout, process: DiffusionProcess,
                          loss: ([Double]) -> (value: Double, gradient: [Double])) throws -> (values: [Double], gradient: GraphTensors) {
        let (k, b) = coefficients(timestep, process)
        let values = layout.nodeCounts.indices.map { g in k * Double(z.features[layout.nodeOffsets[g]]) + b }
        let (_, dL) = loss(values)
        var gradient = GraphTensors(positions: [Float](repeating: 0, count: z.positions.count),
                                    features: [Float](repeating: 0, count: z.features.count))
        for g in values.indices { gradient.features[layout.nodeOffsets[g]] = Float(dL[g] * k) }
        return (values, gradient)
    }
}

@Suite struct PropertyGuidanceTests {
    @Test(arguments: [10, 500, 950])
    func theTermIsSigmaTimesWeightTimesTheLossGradient(timestep: Int) throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 1000, featureWidth: 3, divisor: 4)
        let regressor = EGNNRegressor(EGNNRegressorConfiguration(featureWidth: 3, layers: 2, hidden: 8, readoutWidth: 4,
                                                                 headHidden: 5))
        let property = try NoiseAwareRegressor(regressor: regressor, parameters: RegressorTests.parameters(regressor, seed: 8))
        let guidance = try PropertyGuidance(property: property, target: 0.7, weight: 2.5)
        let input = tinyBatch(nodeCounts: [4, 5], featureWidth: 3, seed: 9)
        let layout = input.layout
        let z = GraphTensors(positions: input.positions, features: input.features)
        let term = try guidance.term(at: z, timestep: timestep, layout: layout, process: process)
        // Positions stay in the zero-CoM subspace.
        expectClose(CenterOfMass.means(of: term.positions, layout: layout), [Float](repeating: 0, count: 6), tolerance: 1e-6,
                    "centres of the position term")
        // Against σ_t w times central differences of ½ Σ_g (a − f_g)², along zero-CoM position
        // directions and feature directions.
        let scale = process.schedule.sigma(at: timestep) * 2.5
        let time = [Float](repeating: Float(timestep) / 1000, count: 2)
        func loss(_ positions: [Float], _ features: [Float]) -> Double {
            let f = regressor.predict(DenoiserInput(layout: layout, positions: positions, features: features, time: time),
                                      parameters: property.parameters)
            return f.reduce(0) { $0 + 0.5 * (0.7 - $1) * (0.7 - $1) }
        }
        for seed in 0 ..< 3 {
            var v = GradientTests.randomDirection(count: z.positions.count, support: 0 ..< z.positions.count, seed: UInt64(seed))
            CenterOfMass.remove(from: &v, layout: layout)
            let analytic = zip(term.positions, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / scale
            let result = GradientTests.check(analytic, { loss($0, z.features) }, at: z.positions, direction: v)
            #expect(result.agrees, "positions: term / σw \(analytic), finite differences \(result.numeric)")
            let u = GradientTests.randomDirection(count: z.features.count, support: 0 ..< z.features.count, seed: UInt64(10 + seed))
            let analyticH = zip(term.features, u).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / scale
            let resultH = GradientTests.check(analyticH, { loss(z.positions, $0) }, at: z.features, direction: u)
            #expect(resultH.agrees, "features: term / σw \(analyticH), finite differences \(resultH.numeric)")
        }
        // guide adds the term to ε̂; weight 0 adds nothing.
        var eps = DenoiserOutput(positions: [Float](repeating: 1, count: z.positions.count),
                                 features: [Float](repeating: -1, count: z.features.count))
        try guidance.guide(&eps, at: z, timestep: timestep, layout: layout, process: process)
        expectClose(eps.positions, term.positions.map { 1 + $0 }, tolerance: 1e-6, "guided ε̂_x")
        expectClose(eps.features, term.features.map { -1 + $0 }, tolerance: 1e-6, "guided ε̂_h")
        var plain = DenoiserOutput(positions: [1, 2, 3], features: [4])
        try PropertyGuidance(property: property, target: 0.7, weight: 0)
            .guide(&plain, at: GraphTensors(positions: [0, 0, 0], features: [0]), timestep: timestep,
                   layout: GraphLayout(nodeCounts: [1]), process: process)
        #expect(plain.positions == [1, 2, 3] && plain.features == [4])
    }

    @Test func guidanceSamplesTheTiltedGaussianExactly() throws {
        // Data N(0, 1) on one feature; the tilt exp(−(2 − x)²/2) gives N(1, 0.5).
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 200, featureWidth: 1)
        let oracle = GaussianOracleDenoiser(schedule: process.schedule, featureMean: [0], positionScale: 1, featureScale: 1)
        let property = TiltProperty(dataScale: 1, tilt: 1, target: 2)
        let sampler = AncestralSampler(process: process)
        func moments(weight: Double) throws -> (mean: Double, variance: Double) {
            var generator = Xoshiro256StarStar(seed: 31)
            let result = try sampler.generate(
                denoiser: oracle, parameters: [], nodeCounts: [Int](repeating: 1, count: 4000),
                guidance: try PropertyGuidance(property: property, target: 2, weight: weight), using: &generator)
            let h = result.features.map(Double.init)
            return (TrainingTestSupport.mean(h), TrainingTestSupport.variance(h))
        }
        let plain = try moments(weight: 0), guided = try moments(weight: 1)
        #expect(abs(plain.mean) < 0.05 && abs(plain.variance - 1) < 0.08, "unguided \(plain)")
        #expect(abs(guided.mean - property.tiltedMean) < 0.05, "guided mean \(guided.mean), expected \(property.tiltedMean)")
        #expect(abs(guided.variance - property.tiltedVariance) < 0.05, "guided variance \(guided.variance), expected \(property.tiltedVariance)")
    }

    @Test func aConditionTargetGuidesEachGraphTowardItsOwnRowsValue() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 1000, featureWidth: 3, divisor: 4)
        let regressor = EGNNRegressor(EGNNRegressorConfiguration(featureWidth: 3, layers: 2, hidden: 8, readoutWidth: 4,
                                                                 headHidden: 5))
        let property = try NoiseAwareRegressor(regressor: regressor, parameters: RegressorTests.parameters(regressor, seed: 8))
        let input = tinyBatch(nodeCounts: [4, 5], featureWidth: 3, seed: 9)
        let z = GraphTensors(positions: input.positions, features: input.features)
        // Rows [ĉ, 1] of width 2; a_g = 0.1 + 2 ĉ_g: 0.7 and −0.9.
        let rows: [Float] = [0.3, 1, -0.5, 1]
        let steering = try PropertyGuidance(property: property, target: .condition(column: 0, scale: 2, offset: 0.1), weight: 2.5,
                                            maximumRMS: 0.2)
        expectClose(try steering.targets(graphs: 2, condition: rows).map(Float.init), [0.7, -0.9], tolerance: 1e-6, "targets")
        let term = try steering.term(at: z, condition: rows, timestep: 400, layout: input.layout, process: process)
        // Each graph's rows are those of the term toward its own value alone (the graphs are independent).
        for (g, a) in [(0, 0.7), (1, -0.9)] {
            let alone = try PropertyGuidance(property: property, target: a, weight: 2.5, maximumRMS: 0.2)
                .term(at: z, timestep: 400, layout: input.layout, process: process)
            let nodes = input.layout.nodes(ofGraph: g)
            expectClose(term.positions[3 * nodes.lowerBound ..< 3 * nodes.upperBound],
                        alone.positions[3 * nodes.lowerBound ..< 3 * nodes.upperBound], tolerance: 1e-5, "graph \(g) positions")
            expectClose(term.features[3 * nodes.lowerBound ..< 3 * nodes.upperBound],
                        alone.features[3 * nodes.lowerBound ..< 3 * nodes.upperBound], tolerance: 1e-5, "graph \(g) features")
        }
        #expect(throws: DiffusionError.invalidConfiguration(
            "guidance toward each graph's condition reads column 0; the chain has 0 condition values for 2 graphs")) {
            try steering.term(at: z, timestep: 400, layout: input.layout, process: process)
        }
        #expect(throws: DiffusionError.invalidConfiguration(
            "guidance toward the condition needs a column ≥ 0 and a finite scale and offset, got 0, nan, 0.0")) {
            try PropertyGuidance(property: property, target: .condition(column: 0, scale: .nan, offset: 0), weight: 1)
        }
    }

    /// A conditional chain steered toward each graph's condition: data N(0, 1) whatever the
    /// condition, rows that all map to a = 2, so the law is the tilted N(1, 0.5), drawn exactly
    /// as the unconditional chain guided toward 2 draws it.
    @Test func aSteeredConditionalChainSamplesTheTiltedGaussian() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 200, featureWidth: 1)
        let oracle = GaussianOracleDenoiser(schedule: process.schedule, featureMean: [0], positionScale: 1, featureScale: 1,
                                            conditionWidth: 2)
        let model = try GraphDiffusionModel(network: oracle, process: process)
        let property = TiltProperty(dataScale: 1, tilt: 1, target: 2)
        let count = 4000
        let rows = Array([[Float]](repeating: [0.75, 1], count: count).joined())   // a = 0.5 + 2 · 0.75 = 2
        func draw(_ target: PropertyGuidance<TiltProperty>.Target) throws -> [Float] {
            var generator = Xoshiro256StarStar(seed: 31)
            let steering = try PropertyGuidance(property: property, target: target, weight: 1)
            return try model.sample(nodeCounts: [Int](repeating: 1, count: count), conditions: rows, guidance: 0, steering: steering,
                                    batchSize: 1000, parameters: [], sampling: SamplingSettings(kind: .ancestral),
                                    using: &generator, progress: { _ in }).flatMap(\.features)
        }
        let steered = try draw(.condition(column: 0, scale: 2, offset: 0.5))
        #expect(steered == (try draw(.value(2))), "the rows reach the guidance")
        let h = steered.map(Double.init)
        #expect(abs(TrainingTestSupport.mean(h) - property.tiltedMean) < 0.05, "mean \(TrainingTestSupport.mean(h)), expected \(property.tiltedMean)")
        #expect(abs(TrainingTestSupport.variance(h) - property.tiltedVariance) < 0.05,
                "variance \(TrainingTestSupport.variance(h)), expected \(property.tiltedVariance)")
    }

    @Test func theCapScalesEachGraphsTermDownToItsRMS() throws {
        let layout = GraphLayout(nodeCounts: [2, 1])
        // Graph 0: RMS √((9 + 16 + 0 + 0 + 0 + 0 + 0 + 0) / 8) ≈ 1.77 > 1; graph 1: RMS 0.5 ≤ 1.
        var term = GraphTensors(positions: [3, 4, 0, 0, 0, 0, 0.5, -0.5, 0.5], features: [0, 0, 0.5])
        GuidanceTerm.cap(&term, layout: layout, rms: 1)
        let first = term.positions[0 ..< 6].map { Double($0) * Double($0) }.reduce(0, +) + term.features[0 ..< 2].map { Double($0) * Double($0) }.reduce(0, +)
        #expect(abs((first / 8).squareRoot() - 1) < 1e-6, "graph 0 RMS \((first / 8).squareRoot())")
        expectClose(term.positions[0 ..< 2], [Float(3 / (25.0 / 8).squareRoot()), Float(4 / (25.0 / 8).squareRoot())], tolerance: 1e-6, "direction kept")
        #expect(Array(term.positions[6...]) == [0.5, -0.5, 0.5] && term.features[2] == 0.5, "graph 1 untouched")
        // Through the guidance: a steep property's term is capped, a flat one's is not.
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 1)
        let steep = TiltProperty(dataScale: 1, tilt: 1, target: 2)
        let z = GraphTensors(positions: [0, 0, 0], features: [-40])
        let single = GraphLayout(nodeCounts: [1])
        let free = try PropertyGuidance(property: steep, target: 2, weight: 50).term(at: z, timestep: 50, layout: single, process: process)
        let capped = try PropertyGuidance(property: steep, target: 2, weight: 50, maximumRMS: 0.25)
            .term(at: z, timestep: 50, layout: single, process: process)
        #expect(abs(free.features[0]) > 0.5, "uncapped term \(free.features[0])")
        #expect(abs(abs(Double(capped.features[0])) * (1.0 / 4).squareRoot() - 0.25) < 1e-6, "capped term \(capped.features[0])")
        #expect((capped.features[0] > 0) == (free.features[0] > 0))
        #expect(throws: DiffusionError.invalidConfiguration("the guidance cap must be finite and > 0, got 0.0")) {
            try PropertyGuidance(property: steep, target: 2, weight: 1, maximumRMS: 0)
        }
    }

    @Test func badSettingsAreRefused() throws {
        let property = TiltProperty(dataScale: 1, tilt: 1, target: 0)
        #expect(throws: DiffusionError.invalidConfiguration("the guidance target must be finite, got nan")) {
            try PropertyGuidance(property: property, target: .nan, weight: 1)
        }
        #expect(throws: DiffusionError.invalidConfiguration("the guidance weight must be finite and ≥ 0, got -1.0")) {
            try PropertyGuidance(property: property, target: 1, weight: -1)
        }
        let regressor = EGNNRegressor(EGNNRegressorConfiguration(featureWidth: 2, layers: 1, hidden: 4, readoutWidth: 0, headHidden: 2))
        #expect(throws: DiffusionError.invalidConfiguration("3 weights for a regressor of \(regressor.parameterCount)")) {
            try NoiseAwareRegressor(regressor: regressor, parameters: [1, 2, 3])
        }
        let wide = try TrainingTestSupport.polynomialProcess(timesteps: 10, featureWidth: 3)
        var generator = Xoshiro256StarStar(seed: 1)
        let property2 = try NoiseAwareRegressor(regressor: regressor, parameters: regressor.initialParameters(using: &generator))
        #expect(throws: DiffusionError.invalidConfiguration("the property model reads 2 node features; the diffusion model has 3")) {
            var eps = DenoiserOutput(positions: [0, 0, 0], features: [0, 0, 0])
            try PropertyGuidance(property: property2, target: 0, weight: 1)
                .guide(&eps, at: GraphTensors(positions: [0, 0, 0], features: [0, 0, 0]), timestep: 3,
                       layout: GraphLayout(nodeCounts: [1]), process: wide)
        }
    }
}
