import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// Conditional sampling where the answer is known: an exact conditional ε for data whose
/// feature is the condition's value (a point mass) and, under ∅, ±1 with equal odds; and a
/// tiny EGNN trained to make both atoms' type follow the condition.
@Suite struct ConditionalSamplingTests {
    static func rows(_ values: [Float], each count: Int) -> [Float] {
        values.flatMap { v in Array([[Float]](repeating: v == 0 ? [0, 0] : [v, 1], count: count).joined()) }
    }

    @Test(arguments: [0.0, 2.0])
    func exactConditionalEpsilonSamplesTheConditionsMode(guidance: Double) throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 200, featureWidth: 1)
        let model = try GraphDiffusionModel(network: ConditionalOracleDenoiser(schedule: process.schedule), process: process)
        var rng = Xoshiro256StarStar(seed: 4)
        let each = 300
        let results = try model.sample(
            nodeCounts: [Int](repeating: 2, count: 3 * each), conditions: Self.rows([1, -1, 0], each: each),
            guidance: guidance, batchSize: 128, parameters: [], sampling: SamplingSettings(kind: .ancestral),
            using: &rng, progress: { _ in })
        let features: [Float] = results.flatMap(\.features)   // 2 nodes × 1 feature per graph
        let plus = features[0 ..< 2 * each], minus = features[(2 * each) ..< (4 * each)]
        let free = features[(4 * each) ..< (6 * each)]
        #expect(plus.allSatisfy { abs($0 - 1) < 0.05 }, "c = +1: \(plus.min()!) … \(plus.max()!)")
        #expect(minus.allSatisfy { abs($0 + 1) < 0.05 }, "c = −1: \(minus.min()!) … \(minus.max()!)")
        // ∅: the mixture, an unconditional draw from the conditional model.
        let positive = free.filter { $0 > 0 }.count
        #expect(free.allSatisfy { abs(abs($0) - 1) < 0.05 } && abs(positive - each) < 75, "∅: \(positive) of \(2 * each) positive")
    }

    @Test func anEarlyStoppedChainEndsNearTheData() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 200, featureWidth: 1)
        let model = try GraphDiffusionModel(network: ConditionalOracleDenoiser(schedule: process.schedule), process: process)
        var settings = SamplingSettings(kind: .sdeDPMSolver, steps: 50)
        settings.stop = 5
        var rng = Xoshiro256StarStar(seed: 4)
        let results = try model.sample(nodeCounts: [Int](repeating: 2, count: 200), conditions: Self.rows([1], each: 200),
                                       guidance: 0, batchSize: 200, parameters: [], sampling: settings, using: &rng,
                                       progress: { _ in })
        // z_t0's features: α_t0 · 1 + σ_t0 ξ with σ_5 ≈ 0.035.
        let features = results[0].features
        #expect(features.allSatisfy { abs($0 - 1) < 0.2 }, "\(features.min()!) … \(features.max()!)")
        #expect(model.networkCallsPerGraph(settings) == 51)
    }

    @Test func unconditionalModelsRefuseConditions() throws {
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 20, featureWidth: 2)
        let model = try GraphDiffusionModel(network: LinearTestDenoiser(featureWidth: 2), process: process)
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: DiffusionError.self) {
            try model.sample(nodeCounts: [2], conditions: [], guidance: 0, batchSize: 1, parameters: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                             sampling: SamplingSettings(kind: .ancestral), using: &rng, progress: { _ in })
        }
    }

    /// Two-atom graphs at distance 2 whose atoms are both of type 0 when c = +1 and both of
    /// type 1 when c = −1; trained with condition dropout, so ∅ gives either.
    struct TypeFollowsCondition: GraphDataSource {
        let count = 256
        func batch(at indices: [Int]) throws -> GraphBatch {
            var positions: [Float] = [], features: [Float] = [], condition: [Float] = []
            for index in indices {
                var generator = Xoshiro256StarStar(seed: UInt64(index) + 1)
                var direction = [Float](repeating: 0, count: 3)
                generator.fillStandardNormal(&direction)
                let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
                positions += direction.map { $0 / norm } + direction.map { -$0 / norm }
                let first = index % 2 == 0
                features += first ? [1, 0, 1, 0] : [0, 1, 0, 1]
                condition += [first ? 1 : -1, 1]
            }
            return GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: 2, count: indices.count)),
                              positions: positions, features: features, condition: condition)
        }
    }

    @Test func aTinyConditionalEGNNLearnsToFollowTheCondition() throws {
        let egnn = EGNN(EGNNConfiguration(featureWidth: 2, conditionWidth: 2, layers: 2, hidden: 16), threads: 1)
        let process = DiffusionProcess(schedule: try PolynomialSchedule(timesteps: 100),
                                       scaling: try FeatureScaling(blocks: [.init(width: 2, divisor: 4)]))
        let model = try GraphDiffusionModel(network: egnn, process: process)
        model.conditionalTraining = try ConditionalTraining(dropout: 0.2)
        let trainer = try Trainer(model: model, configuration: TrainerConfiguration(
            optimizer: AdamWConfiguration(learningRate: 3e-3), emaDecay: 0.95, batchSize: 32, seed: 1), datasetSize: 256)
        for _ in 0 ..< 300 { try trainer.step(on: TypeFollowsCondition()) }
        var rng = Xoshiro256StarStar(seed: 2)
        let each = 60
        let results = try model.sample(
            nodeCounts: [Int](repeating: 2, count: 3 * each), conditions: Self.rows([1, -1, 0], each: each), guidance: 1,
            batchSize: 3 * each, parameters: trainer.samplingParameters, sampling: SamplingSettings(kind: .ancestral),
            using: &rng, progress: { _ in })
        let h = results[0].features   // [nodes, 2]
        func typeZeroAtoms(_ graphs: Range<Int>) -> Int { graphs.reduce(0) { n, g in n + (0 ..< 2).filter { h[4 * g + 2 * $0] > h[4 * g + 2 * $0 + 1] }.count } }
        let plus = typeZeroAtoms(0 ..< each), minus = typeZeroAtoms(each ..< 2 * each), free = typeZeroAtoms(2 * each ..< 3 * each)
        #expect(plus >= 2 * each * 9 / 10, "c = +1: \(plus) of \(2 * each) atoms of type 0")
        #expect(minus <= 2 * each / 10, "c = −1: \(minus) of \(2 * each) atoms of type 0")
        #expect(free > 2 * each / 5 && free < 2 * each * 4 / 5, "∅: \(free) of \(2 * each) atoms of type 0")
    }
}

extension GraphDiffusionModel {
    func networkCallsPerGraph(_ settings: SamplingSettings) -> Int { (try? networkCalls(sampling: settings)) ?? -1 }
}

/// The exact ε when positions are N(0, I) (zero-CoM) and the one feature is the condition's
/// value m (condition [m, 1]), or ±1 with equal odds under ∅ (condition [0, 0]).
final class ConditionalOracleDenoiser: Denoiser {
    let schedule: any NoiseSchedule
    let featureWidth = 1, conditionWidth = 2, parameterCount = 0
    let symmetry: Symmetry = .euclidean

    init(schedule: any NoiseSchedule) { self.schedule = schedule }

    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] { [] }

    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        var out = DenoiserOutput(positions: input.positions, features: input.features)
        for g in 0 ..< input.layout.graphCount {
            let t = Int((Double(input.time[g]) * Double(schedule.timesteps)).rounded())
            let a = schedule.alpha(at: t), s = schedule.sigma(at: t)
            let present = input.condition[2 * g + 1] != 0, m = Double(input.condition[2 * g])
            for i in input.layout.nodes(ofGraph: g) {
                for d in 0 ..< 3 { out.positions[3 * i + d] = Float(s * Double(input.positions[3 * i + d])) }
                let z = Double(input.features[i])
                let mean = present ? m : Foundation.tanh(a * z / (s * s))   // E[x | z_t, c]
                out.features[i] = Float((z - a * mean) / s)
            }
        }
        return out
    }

    func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                         loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)) -> Double {
        loss(predict(input, parameters: parameters)).value
    }
}
