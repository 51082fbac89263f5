import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite(.temporaryDirectories) struct TrainerTests {
    static let width = 3
    static func process() throws -> DiffusionProcess {
        try TrainingTestSupport.polynomialProcess(timesteps: 200, featureWidth: width, divisor: 4)
    }
    static func configuration(seed: UInt64) -> TrainerConfiguration {
        TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 5e-3), emaDecay: 0.99, batchSize: 5, seed: seed)
    }

    @Test func resumedRunMatchesAnUninterruptedOneBitForBit() throws {
        let data = InMemoryGraphs.random(count: 13, width: Self.width, seed: 9)
        let total = 12, split = 5
        let straight = try Trainer(denoiser: LinearTestDenoiser(featureWidth: Self.width), process: try Self.process(),
                                   configuration: Self.configuration(seed: 31), datasetSize: data.count)
        let straightLosses = try (0 ..< total).map { _ in try straight.step(on: data).loss }

        let first = try Trainer(denoiser: LinearTestDenoiser(featureWidth: Self.width), process: try Self.process(),
                                configuration: Self.configuration(seed: 31), datasetSize: data.count)
        var losses = try (0 ..< split).map { _ in try first.step(on: data).loss }
        let url = try CheckpointTests.temporaryURL("resume")
        try first.checkpoint(modelConfiguration: "{}").write(to: url)
        // A new process would start here after kill -9.
        let resumed = try Trainer(denoiser: LinearTestDenoiser(featureWidth: Self.width), process: try Self.process(),
                                  resumingFrom: try Checkpoint(contentsOf: url))
        losses += try (split ..< total).map { _ in try resumed.step(on: data).loss }

        #expect(losses.map(\.bitPattern) == straightLosses.map(\.bitPattern))
        #expect(resumed.state == straight.state)
        #expect(resumed.state.batches.epoch == 4)   // 13 graphs in batches of 5: 3 batches an epoch
    }

    @Test func differentSeedsGiveDifferentRuns() throws {
        let data = InMemoryGraphs.random(count: 8, width: Self.width, seed: 9)
        func losses(_ seed: UInt64) throws -> [Double] {
            let trainer = try Trainer(denoiser: LinearTestDenoiser(featureWidth: Self.width), process: try Self.process(),
                                      configuration: Self.configuration(seed: seed), datasetSize: data.count)
            return try (0 ..< 3).map { _ in try trainer.step(on: data).loss }
        }
        #expect(try losses(1) == losses(1))
        #expect(try losses(1) != losses(2))
    }

    @Test func initializeSetsWeightsAndTheirAverageOnlyBeforeTheFirstStep() throws {
        let data = InMemoryGraphs.random(count: 8, width: Self.width, seed: 9)
        let trainer = try Trainer(denoiser: LinearTestDenoiser(featureWidth: Self.width), process: try Self.process(),
                                  configuration: Self.configuration(seed: 4), datasetSize: data.count)
        let before = trainer.state.parameters, count = before.count
        let values = [before[0]] + (0 ..< count - 1).map { Float($0) + 0.5 }
        try trainer.initialize(with: values)
        #expect(trainer.state.parameters == values)
        #expect(trainer.state.ema?.weights == trainer.state.parameters, "sampling weights start from the given ones")
        #expect { try trainer.initialize(with: Array(values[0 ..< 1])) } throws: {
            String(describing: $0).contains("1 weights for a model of \(count)")
        }
        try trainer.step(on: data)
        #expect { try trainer.initialize(with: values) } throws: { String(describing: $0).contains("before the first step") }
    }

    @Test func lossFallsOnASmallDataset() throws {
        let data = InMemoryGraphs.random(count: 16, width: Self.width, seed: 3)
        var configuration = Self.configuration(seed: 5)
        configuration.optimizer.learningRate = 2e-2
        let trainer = try Trainer(denoiser: LinearTestDenoiser(featureWidth: Self.width), process: try Self.process(),
                                  configuration: configuration, datasetSize: data.count)
        let losses = try (0 ..< 400).map { _ in try trainer.step(on: data).loss }
        let early = TrainingTestSupport.mean(Array(losses.prefix(20)))
        let late = TrainingTestSupport.mean(Array(losses.suffix(50)))
        #expect(late < 0.7 * early, "mean loss of the first 20 steps \(early), of the last 50 \(late)")
        #expect(trainer.state.history.epochMeanLosses.count == 100)
    }

    @Test func gradientStepMatchesFiniteDifferences() throws {
        // The whole pure step (noise, z_t, weighted loss, denoiser backward)
        // against central differences, with the generator state held fixed.
        let denoiser = LinearTestDenoiser(featureWidth: Self.width)
        let process = try Self.process()
        var data = InMemoryGraphs.random(count: 3, width: Self.width, seed: 2)
        data.weights = [0.5, 2, 1]
        let batch = try data.batch(at: [0, 1, 2])
        var initial = Xoshiro256StarStar(seed: 8)
        let parameters = denoiser.initialParameters(using: &initial)
        let start = Xoshiro256StarStar(seed: 21)
        var generator = start
        let (_, gradient) = GradientStep.compute(denoiser: denoiser, process: process, parameters: parameters,
                                                 batch: batch, using: &generator)
        let numeric = (0 ..< parameters.count).map { k in
            var plus = parameters, minus = parameters
            plus[k] += 1e-2; minus[k] -= 1e-2
            var g1 = start, g2 = start
            let up = GradientStep.compute(denoiser: denoiser, process: process, parameters: plus, batch: batch, using: &g1).loss
            let down = GradientStep.compute(denoiser: denoiser, process: process, parameters: minus, batch: batch, using: &g2).loss
            return (up - down) / 2e-2
        }
        expectClose(gradient, numeric, tolerance: 2e-3, "∂L/∂θ against central differences")
    }

    @Test func batchSamplerVisitsEveryGraphOncePerEpochAndResumes() throws {
        var sampler = try BatchSampler(datasetSize: 10, batchSize: 4, seed: 17)
        var epoch0: [Int] = []
        for _ in 0 ..< 3 { epoch0 += sampler.nextBatch() }
        #expect(epoch0.sorted() == Array(0 ..< 10))
        #expect(sampler.epoch == 1 && sampler.position == 0)
        let first = sampler.nextBatch()
        var resumed = try BatchSampler(datasetSize: 10, batchSize: 4, seed: 17, epoch: sampler.epoch, position: sampler.position)
        #expect(sampler.nextBatch() == resumed.nextBatch())
        #expect(first + sampler.permutation(ofEpoch: 1)[4 ..< 8] == Array(sampler.permutation(ofEpoch: 1)[0 ..< 8]))
        #expect(sampler.permutation(ofEpoch: 0) != sampler.permutation(ofEpoch: 1))
        var dropping = try BatchSampler(datasetSize: 10, batchSize: 4, seed: 17, dropsLast: true)
        #expect(dropping.nextBatch().count == 4 && dropping.nextBatch().count == 4)
        #expect(dropping.epoch == 1)
    }

    /// The cached permutation changes nothing: over several epochs, with and without dropping
    /// the last batch, batches are the slices of `permutation(ofEpoch:)`, and a sampler rebuilt
    /// from (epoch, position) at any step (as a checkpoint does) equals and continues the original.
    @Test(arguments: [false, true])
    func batchSamplerCacheIsInvisible(dropsLast: Bool) throws {
        var sampler = try BatchSampler(datasetSize: 11, batchSize: 3, seed: 5, dropsLast: dropsLast)
        for _ in 0 ..< 20 {
            let (epoch, position) = (sampler.epoch, sampler.position)
            var resumed = try BatchSampler(datasetSize: 11, batchSize: 3, seed: 5, dropsLast: dropsLast, epoch: epoch, position: position)
            #expect(resumed == sampler)
            let batch = sampler.nextBatch()
            #expect(batch == Array(sampler.permutation(ofEpoch: epoch)[position ..< min(position + 3, 11)]))
            #expect(resumed.nextBatch() == batch)
            #expect(resumed == sampler)
        }
        #expect(sampler.epoch >= 5)
    }

    @Test func badBatchesAreRejectedWithoutChangingState() throws {
        var data = InMemoryGraphs.random(count: 6, width: Self.width, seed: 2)
        data.weights = [1, 1, -1, 1, 1, 1]
        let trainer = try Trainer(denoiser: LinearTestDenoiser(featureWidth: Self.width), process: try Self.process(),
                                  configuration: TrainerConfiguration(batchSize: 6, seed: 1), datasetSize: data.count)
        let before = trainer.state
        #expect(throws: DiffusionError.invalidBatch("weight of graph 4 is -1.0; weights must be finite and ≥ 0")) { try trainer.step(on: data) }
        #expect(trainer.state == before)
        // A data set of another size than the run was set up (or saved) with.
        data.weights = nil
        data.positions.removeLast()
        data.features.removeLast()
        #expect(throws: DiffusionError.invalidConfiguration("the data source holds 5 graphs but this run was set up for 6")) {
            try trainer.step(on: data)
        }
        #expect(trainer.state == before)
    }
}
