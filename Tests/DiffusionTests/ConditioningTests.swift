import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// The pieces of conditional diffusion: EDM's condition normalisation, condition dropout,
/// classifier-free guidance and the early stop t0 of reward-directed conditional diffusion.
@Suite struct ConditioningTests {
    // MARK: Normalisation

    @Test func normalisationIsMeanAndMeanAbsoluteDeviation() throws {
        // Two properties: [1, 2, 3, 6] (mean 3, MAD (2 + 1 + 0 + 3)/4 = 1.5) and [10, 10, 20, 20] (15, 5).
        let n = try ConditionNormalization(fitting: [1, 10, 2, 10, 3, 20, 6, 20], properties: 2)
        expectClose(n.means, [3, 15], tolerance: 1e-12)
        expectClose(n.deviations, [1.5, 5], tolerance: 1e-12)
        expectClose(n.normalized([6, 10]), [2, -1], tolerance: 1e-12)
        expectClose(n.denormalized([2, -1]), [6, 10], tolerance: 1e-12)
        var rng = Xoshiro256StarStar(seed: 3)
        for _ in 0 ..< 20 {
            let y = [rng.nextStandardNormal() * 50, rng.nextStandardNormal()]
            expectClose(n.denormalized(n.normalized(y)), y, tolerance: 1e-9, "round trip")
        }
    }

    @Test func normalisationRefusesConstantOrNonFiniteValues() {
        #expect(throws: DiffusionError.self) { try ConditionNormalization(fitting: [2, 2, 2], properties: 1) }
        #expect(throws: DiffusionError.self) { try ConditionNormalization(fitting: [1, .nan, 2], properties: 1) }
        #expect(throws: DiffusionError.self) { try ConditionNormalization(means: [0], deviations: [0]) }
    }

    // MARK: Dropout

    @Test func dropoutNullsTheExpectedShareOfWholeConditions() throws {
        let training = try ConditionalTraining(dropout: 0.1)
        let graphs = 20_000, width = 2
        var original: [Float] = []
        for g in 0 ..< graphs { original += [Float(g % 7) + 1, 1] }
        var condition = original
        var rng = Xoshiro256StarStar(seed: 5)
        training.dropConditions(&condition, graphs: graphs, using: &rng)
        var dropped = 0
        for g in 0 ..< graphs {
            let rows = (g * width) ..< ((g + 1) * width)
            let row = Array(condition[rows]), given = Array(original[rows])
            if row == [0, 0] { dropped += 1 } else if row != given {
                Issue.record("graph \(g) changed without being dropped: \(row)")
            }
        }
        // p = 0.1: standard error √(p(1 − p)/n) = 0.0021; allow four of them.
        let rate = Double(dropped) / Double(graphs)
        #expect(abs(rate - 0.1) < 4 * (0.09 / Double(graphs)).squareRoot(), "dropped \(rate)")
    }

    @Test func noDropoutDrawsNothing() throws {
        var condition: [Float] = [1, 1, 2, 1]
        var rng = Xoshiro256StarStar(seed: 5)
        let before = rng
        ConditionalTraining.none.dropConditions(&condition, graphs: 2, using: &rng)
        #expect(rng == before && condition == [1, 1, 2, 1])
        #expect(throws: DiffusionError.self) { try ConditionalTraining(dropout: 1) }
        #expect(throws: DiffusionError.self) { try ConditionalTraining(dropout: 0.1, earlyStop: -1) }
    }

    // MARK: Classifier-free guidance

    static let egnnConfiguration = EGNNConfiguration(featureWidth: 3, conditionWidth: 2, layers: 2, hidden: 8)

    @Test(arguments: [0.0, 0.5, 3.0])
    func guidanceCombinesTheTwoPredictions(scale: Double) throws {
        let egnn = EGNN(Self.egnnConfiguration)
        let theta = testParameters(egnn, seed: 4)
        let input = tinyBatch(nodeCounts: [3, 5, 4], featureWidth: 3, conditionWidth: 2, seed: 8)
        var null = input
        null.condition = [Float](repeating: 0, count: input.condition.count)
        let conditional = egnn.predict(input, parameters: theta), unconditional = egnn.predict(null, parameters: theta)
        #expect(largestDifference(conditional.features, unconditional.features, tolerance: 1e-3).isWithinBound == false,
                "the condition must change the prediction for the test to mean anything")
        let guided = try ClassifierFreeGuidance(base: egnn, scale: scale).predict(input, parameters: theta)
        let w = Float(scale)
        expectClose(guided.positions, zip(conditional.positions, unconditional.positions).map { (1 + w) * $0 - w * $1 },
                    tolerance: 1e-5, relative: 1e-5, "ε̂_x")
        expectClose(guided.features, zip(conditional.features, unconditional.features).map { (1 + w) * $0 - w * $1 },
                    tolerance: 1e-5, relative: 1e-5, "ε̂_h")
    }

    @Test func guidanceGradientMatchesFiniteDifferences() throws {
        let egnn = EGNN(Self.egnnConfiguration)
        let guided = try ClassifierFreeGuidance(base: egnn, scale: 1.5)
        let theta = testParameters(egnn, seed: 6)
        let input = tinyBatch(nodeCounts: [4, 3], featureWidth: 3, conditionWidth: 2, seed: 9)
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: 3, seed: 10)
        var gradient = [Float](repeating: 0, count: egnn.parameterCount)
        _ = guided.lossAndGradient(input, parameters: theta, gradient: &gradient, loss: probe.callAsFunction)
        // The identity: (1 + w) ∇L(ε̂(c)) − w ∇L(ε̂(∅)) with the same probe.
        var null = input
        null.condition = [Float](repeating: 0, count: input.condition.count)
        var gc = [Float](repeating: 0, count: egnn.parameterCount), gn = gc
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &gc, loss: probe.callAsFunction)
        _ = egnn.lossAndGradient(null, parameters: theta, gradient: &gn, loss: probe.callAsFunction)
        expectClose(gradient, zip(gc, gn).map { 2.5 * $0 - 1.5 * $1 }, tolerance: 1e-4, relative: 1e-4, "∂L/∂θ")
        let f = { (p: [Float]) in probe.value(guided.predict(input, parameters: p)) }
        for (seed, (name, range)) in GradientTests.tensors(egnn).enumerated() {
            let v = GradientTests.randomDirection(count: theta.count, support: range, seed: UInt64(seed))
            let analytic = zip(gradient, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let result = GradientTests.check(analytic, f, at: theta, direction: v)
            #expect(result.agrees, "\(name): backward \(analytic), finite differences \(result.numeric)")
        }
    }

    @Test func guidanceRefusesAnUnconditionalDenoiserOrANegativeScale() {
        #expect(throws: DiffusionError.self) { try ClassifierFreeGuidance(base: EGNN(EGNNConfiguration(featureWidth: 2, layers: 1, hidden: 4)), scale: 1) }
        #expect(throws: DiffusionError.self) { try ClassifierFreeGuidance(base: EGNN(Self.egnnConfiguration), scale: -1) }
    }

    // MARK: Early stop

    @Test func trainingDrawsTimestepsFromTheEarlyStopUp() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 50, featureWidth: 2)
        let spy = TimeSpyDenoiser()
        let data = InMemoryGraphs.random(count: 400, width: 2, seed: 3)
        let batch = try data.batch(at: Array(0 ..< 400))
        var rng = Xoshiro256StarStar(seed: 1)
        var gradient: [Float] = [], buffers = GradientStep.Buffers()
        _ = GradientStep.accumulate(denoiser: spy, process: process, parameters: [], batch: batch, minimumTimestep: 30,
                                    gradient: &gradient, buffers: &buffers, using: &rng)
        let steps = spy.times.map { Int(($0 * 50).rounded()) }
        #expect(steps.min() == 30 && steps.max() == 50, "t from \(steps.min() ?? -1) to \(steps.max() ?? -1)")
        // t0 = 0 draws exactly as the plain step.
        var a = Xoshiro256StarStar(seed: 2), b = a
        _ = GradientStep.accumulate(denoiser: spy, process: process, parameters: [], batch: batch, minimumTimestep: 0,
                                    gradient: &gradient, buffers: &buffers, using: &a)
        let withZero = spy.times
        _ = GradientStep.accumulate(denoiser: spy, process: process, parameters: [], batch: batch, gradient: &gradient, using: &b)
        #expect(spy.times == withZero && a == b)
    }

    @Test(arguments: [TimestepGrid.uniform, .power(3), .logSNR])
    func gridsEndAtTheStop(grid: TimestepGrid) throws {
        let schedule = try PolynomialSchedule(timesteps: 1000)
        for steps in [1, 10, 200, 990] {
            let t = try grid.timesteps(steps: steps, schedule: schedule, stop: 10)
            #expect(t.count == steps + 1 && t.first == 1000 && t.last == 10, "\(grid), \(steps) steps: \(t.prefix(3)) … \(t.suffix(3))")
            #expect(zip(t, t.dropFirst()).allSatisfy { $0 > $1 }, "\(grid), \(steps) steps: not strictly decreasing")
        }
        #expect(throws: DiffusionError.self) { try grid.timesteps(steps: 991, schedule: schedule, stop: 10) }
        #expect(try grid.timesteps(steps: 100, schedule: schedule, stop: 0) == grid.timesteps(steps: 100, schedule: schedule))
    }

    @Test func samplersStopAtTheEarlyStop() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 1)
        for kind in SamplerKind.allCases {
            var settings = SamplingSettings(kind: kind)
            settings.stop = 7
            let sampler = try settings.makeSampler(process: process)
            #expect(sampler.timesteps.first == 100 && sampler.timesteps.last == 7, "\(kind)")
        }
        var ancestral = SamplingSettings(kind: .ancestral)
        ancestral.stop = 7
        #expect(try ancestral.makeSampler(process: process).timesteps == Array((7 ... 100).reversed()))
        ancestral.corrector = try LangevinCorrector(steps: 1, levels: 20)
        let corrected = try ancestral.makeSampler(process: process).timesteps
        #expect(corrected.suffix(3) == [8, 7, 7], "moves at t0, then the final call there: \(corrected.suffix(4))")
    }
}

/// Records the normalised times it is called with; predicts zero.
final class TimeSpyDenoiser: Denoiser {
    let featureWidth = 2, conditionWidth = 0, parameterCount = 0
    let symmetry: Symmetry = .euclidean
    var times: [Float] = []

    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] { [] }

    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        times = input.time
        return DenoiserOutput(positions: [Float](repeating: 0, count: input.positions.count),
                              features: [Float](repeating: 0, count: input.features.count))
    }

    func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                         loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)) -> Double {
        loss(predict(input, parameters: parameters)).value
    }
}
