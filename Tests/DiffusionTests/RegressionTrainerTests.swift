import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// Graphs of 3–6 nodes over three node types (one-hot features), positions N(0, 1.5²), and the
/// property y = Σ_i c_{type(i)}: a sum over nodes of a per-type constant, which a regressor with
/// sum pooling can represent exactly.
struct AdditiveToySet: GraphDataSource {
    static let constants = [1.0, -0.5, 2.0]
    let batches: [GraphBatch]
    let targets: [Double]

    init(count: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        var batches: [GraphBatch] = [], targets: [Double] = []
        for _ in 0 ..< count {
            let n = Int.random(in: 3 ... 6, using: &rng)
            var positions = [Float](repeating: 0, count: 3 * n)
            rng.fillStandardNormal(&positions)
            var features = [Float](repeating: 0, count: 3 * n), y = 0.0
            for i in 0 ..< n {
                let type = Int.random(in: 0 ..< 3, using: &rng)
                features[3 * i + type] = 1
                y += Self.constants[type]
            }
            batches.append(GraphBatch(layout: GraphLayout(nodeCounts: [n]), positions: positions.map { 1.5 * $0 }, features: features))
            targets.append(y)
        }
        self.batches = batches
        self.targets = targets
    }

    var count: Int { batches.count }

    func batch(at indices: [Int]) throws -> GraphBatch {
        let parts = indices.map { batches[$0] }
        return GraphBatch(layout: GraphLayout(nodeCounts: parts.map { $0.layout.nodeCount }),
                          positions: parts.flatMap(\.positions), features: parts.flatMap(\.features))
    }

    /// (y − mean) / sd, with the mean and sd.
    var standardised: (values: [Double], mean: Double, sd: Double) {
        let mean = targets.reduce(0, +) / Double(count)
        let sd = (targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)).squareRoot()
        return (targets.map { ($0 - mean) / sd }, mean, sd)
    }
}

@Suite struct RegressionTrainerTests {
    static func trainer(noiseAware: Bool, datasetSize: Int, seed: UInt64 = 3) throws -> RegressionTrainer {
        let scaling = try FeatureScaling(blocks: [.init(width: 3, divisor: 4)])
        let regressor = EGNNRegressor(EGNNRegressorConfiguration(featureWidth: 3, layers: 2, hidden: 16, readoutWidth: 8,
                                                                 headHidden: 16))
        return try RegressionTrainer(
            regressor: regressor, scaling: scaling, noise: noiseAware ? try PolynomialSchedule(timesteps: 100) : nil,
            configuration: TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 3e-3), emaDecay: 0,
                                                clipsGradients: false, batchSize: 16, seed: seed),
            datasetSize: datasetSize)
    }

    @Test func learnsAnAdditivePropertyExactlyLearnable() throws {
        let data = AdditiveToySet(count: 96, seed: 1), held = AdditiveToySet(count: 32, seed: 2)
        let (targets, mean, sd) = data.standardised
        let trainer = try Self.trainer(noiseAware: false, datasetSize: data.count)
        for _ in 0 ..< 400 { try trainer.step(on: data, targets: targets) }
        let predictions = trainer.regressor.predict(try held.batch(at: Array(0 ..< held.count)), scaling: trainer.scaling,
                                                    parameters: trainer.predictionParameters).map { $0 * sd + mean }
        let mae = zip(predictions, held.targets).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(held.count)
        // y spans about −3 … 12 (sd ≈ 2.6); predicting the mean would miss by ≈ 2.
        #expect(mae < 0.1, "held-out MAE \(mae)")
    }

    @Test func aNoiseAwareRunDrawsNoisedInputsAtRandomTimes() throws {
        let data = AdditiveToySet(count: 8, seed: 4)
        let trainer = try Self.trainer(noiseAware: true, datasetSize: data.count)
        var generator = Xoshiro256StarStar(seed: 5)
        let batch = try data.batch(at: [0, 1, 2, 3, 4, 5, 6, 7])
        let input = trainer.input(batch, using: &generator)
        #expect(Set(input.time).count > 1 && input.time.allSatisfy { (0 ... 1).contains($0) })
        #expect(input.features != trainer.scaling.scaled(batch.features))
        let clean = try Self.trainer(noiseAware: false, datasetSize: data.count).input(batch, using: &generator)
        #expect(clean.time.allSatisfy { $0 == 0 } && clean.features == trainer.scaling.scaled(batch.features))
    }

    @Test func aResumedRunRepeatsTheStraightRun() throws {
        let data = AdditiveToySet(count: 40, seed: 6)
        let targets = data.standardised.values
        let straight = try Self.trainer(noiseAware: true, datasetSize: data.count)
        for _ in 0 ..< 6 { try straight.step(on: data, targets: targets) }
        let first = try Self.trainer(noiseAware: true, datasetSize: data.count)
        for _ in 0 ..< 3 { try first.step(on: data, targets: targets) }
        let saved = try Checkpoint(encoded: try first.checkpoint(modelConfiguration: "{}").encoded(), path: "test")
        let resumed = try RegressionTrainer(regressor: first.regressor, scaling: first.scaling,
                                            noise: first.process?.schedule, resumingFrom: saved, path: "test")
        for _ in 0 ..< 3 { try resumed.step(on: data, targets: targets) }
        #expect(resumed.state == straight.state)
        #expect(throws: DiffusionError.checkpointMismatch(
            path: "w.rgdm", reason: "it holds weights only (no optimiser state), so training cannot resume from it")) {
            try RegressionTrainer(regressor: first.regressor, scaling: first.scaling, noise: first.process?.schedule,
                                  resumingFrom: try saved.weightsOnly(), path: "w.rgdm")
        }
    }
}
