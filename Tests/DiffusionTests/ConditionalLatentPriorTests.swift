import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// A latent point model whose prior takes a condition (a class as [one-hot, 1]): widened from an
/// unconditional one, trained with condition dropout, sampled with classifier-free guidance.
@Suite struct ConditionalLatentPriorTests {
    static let schedule = try! PolynomialSchedule(timesteps: 20, power: 2, precision: 1e-5)

    static func configuration(conditionWidth: Int?) -> LatentPointConfiguration {
        LatentPointConfiguration(latentWidth: 3, encoderPointWidths: [6, 8], encoderHeadWidths: [5], decoderWidths: [7, 6],
                                 priorWidths: [6, 5], decoderPointsPerStep: nil, priorDrawsPerStep: 2, klWeight: 0.1,
                                 priorConditionWidth: conditionWidth)
    }

    /// A conditional model (condition width 3) whose weights are random everywhere, the condition rows included.
    static func conditionalModel(threads: Int = 1) throws -> (LatentPointModel, [Float]) {
        let model = try LatentPointModel(configuration: configuration(conditionWidth: 3), schedule: schedule, threads: threads)
        var generator = Xoshiro256StarStar(seed: 5)
        return (model, model.initialParameters(using: &generator))
    }

    /// The indices of the prior's weights that read the condition channels (rows of W_g and W_b past the time embedding).
    static func conditionRows(of model: LatentPointModel) -> [Int] {
        let network = model.prior.network, c = network.contextWidth, time = TimeEmbedding.width
        return (0 ..< network.layerCount).flatMap { l -> [Int] in
            let dIn = network.widths[l], dOut = network.widths[l + 1]
            let gate = model.priorRange.lowerBound + network.offsets[l] + dIn * dOut + dOut
            let shift = gate + c * dOut + dOut
            return [gate, shift].flatMap { start in Array((start + time * dOut) ..< (start + c * dOut)) }
        }
    }

    static func clouds(_ count: Int, points: Int = 6, seed: UInt64) -> GraphBatch {
        var generator = Xoshiro256StarStar(seed: seed)
        var positions = [Float](repeating: 0, count: count * points * 3)
        generator.fillStandardNormal(&positions)
        return GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: points, count: count)), positions: positions, features: [])
    }

    @Test func aWidenedPriorPredictsAsTheUnconditionalOneUnderAnyCondition() throws {
        let plain = try LatentPointModel(configuration: Self.configuration(conditionWidth: nil), schedule: Self.schedule)
        var generator = Xoshiro256StarStar(seed: 1)
        let source = plain.initialParameters(using: &generator)
        let widened = Self.configuration(conditionWidth: 3)
        let model = try LatentPointModel(configuration: widened, schedule: Self.schedule)
        var parameters = model.initialParameters(using: &generator)
        let parts = try widened.transfer(from: Self.configuration(conditionWidth: nil), parameters: source, into: &parameters)
        #expect(parts == ["encoder", "decoder", "prior (condition channels added)"])
        #expect(Array(parameters[model.decoderRange]) == Array(source[plain.decoderRange]))
        #expect(Self.conditionRows(of: model).allSatisfy { parameters[$0] == 0 })
        var z = [Float](repeating: 0, count: 4 * 3)
        generator.fillStandardNormal(&z)
        let layout = GraphLayout(nodeCounts: [1, 1, 1, 1])
        let input = DenoiserInput(layout: layout, positions: [Float](repeating: 0, count: 12), features: z, time: [2, 7, 12, 19])
        let expected = plain.prior.predict(input, parameters: Array(source[plain.priorRange])).features
        for condition in [[Float](repeating: 0, count: 12), [1, 0, 1, 0, 1, 1, 1, 0, 1, 0.3, -2, 1]] {
            var conditioned = input
            conditioned.condition = condition
            expectClose(model.prior.predict(conditioned, parameters: Array(parameters[model.priorRange])).features, expected,
                        tolerance: 1e-6, relative: 1e-6, "widened prior under \(condition)")
        }
        // A conditional prior is not the same network: it is not taken whole from an unconditional one.
        #expect(!widened.hasSame(.prior, as: Self.configuration(conditionWidth: nil)))
    }

    /// Condition dropout acts on the prior's objective: with every condition dropped, no gradient reaches
    /// the weights that read the condition; without dropout, it does.
    @Test func thePriorIsTrainedWithConditionDropout() throws {
        let (model, parameters) = try Self.conditionalModel()
        var batch = Self.clouds(4, seed: 2)
        batch.condition = [1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1]
        let rows = Self.conditionRows(of: model)
        func conditionGradient(dropout: Double) throws -> Double {
            model.conditionalTraining = try ConditionalTraining(dropout: dropout)
            var gradient = [Float](repeating: 0, count: model.parameterCount)
            var generator = Xoshiro256StarStar(seed: 3)
            _ = model.accumulate(parameters: parameters, batch: batch, gradient: &gradient, using: &generator)
            return rows.reduce(0.0) { $0 + abs(Double(gradient[$1])) }
        }
        #expect(try conditionGradient(dropout: 0) > 1e-4)
        #expect(try conditionGradient(dropout: 0.999_999_999) == 0)
        // A batch of clouds without conditions is refused by a conditional model.
        #expect(throws: DiffusionError.self) { try model.validate(Self.clouds(2, seed: 4)) }
        try model.validate(batch)
    }

    /// w = 0 is plain conditional sampling: the guided chain and the conditional one give the same
    /// shapes from the same seed; w > 0 and another condition give others.
    @Test func guidanceZeroIsPlainConditionalSampling() throws {
        let (model, parameters) = try Self.conditionalModel()
        let sampler = AncestralSampler(process: model.latentProcess), points = AncestralSampler(process: model.pointProcess)
        let classA: [Float] = [1, 0, 1], classB: [Float] = [0, 1, 1]
        func shapes(_ row: [Float], guidance: Double?) throws -> [Float] {
            var generator = Xoshiro256StarStar(seed: 9)
            let guided = try guidance.map { try ClassifierFreeGuidance(base: model.prior, scale: $0) }
            return model.sample(count: 3, pointCount: 5, parameters: parameters, latentSampler: sampler, pointSampler: points,
                                condition: Array([[Float]](repeating: row, count: 3).joined()), guided: guided,
                                using: &generator).positions
        }
        let plain = try shapes(classA, guidance: nil)
        #expect(try shapes(classA, guidance: 0) == plain)
        #expect(try shapes(classA, guidance: 2) != plain)
        #expect(try shapes(classB, guidance: nil) != plain)
    }

    /// The conditional entry point: one condition row per shape, the same shapes for any thread count,
    /// and refusals of bad input.
    @Test func conditionalSamplingGivesOneShapePerRowIndependentlyOfThreads() throws {
        let (one, parameters) = try Self.conditionalModel(threads: 1)
        let (two, _) = try Self.conditionalModel(threads: 2)
        let settings = SamplingSettings(kind: .ddim, steps: 5)
        let rows: [Float] = [1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 1]
        func draw(_ model: LatentPointModel) throws -> [SampleResult] {
            var generator = Xoshiro256StarStar(seed: 4)
            return try model.sample(nodeCounts: [5, 5, 5, 5, 5], conditions: rows, guidance: 1.5, batchSize: 2,
                                    parameters: parameters, sampling: settings, using: &generator) { _ in }
        }
        let a = try draw(one), b = try draw(two)
        #expect(a.map(\.layout.nodeCounts) == [[5, 5], [5, 5], [5]])
        #expect(a.map(\.positions) == b.map(\.positions))
        var generator = Xoshiro256StarStar(seed: 4)
        #expect(throws: DiffusionError.self) {
            try one.sample(nodeCounts: [5], conditions: [1, 0], guidance: 0, batchSize: 2, parameters: parameters,
                           sampling: settings, using: &generator) { _ in }
        }
        #expect(throws: DiffusionError.self) {
            try one.sample(nodeCounts: [5], conditions: [1, 0, 1], guidance: -1, batchSize: 2, parameters: parameters,
                           sampling: settings, using: &generator) { _ in }
        }
    }
}
