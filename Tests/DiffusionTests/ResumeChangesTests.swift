import Foundation
import Testing
@testable import Diffusion

/// Resuming with new optimisation settings (fine-tuning at a lower learning
/// rate, a longer EMA) acts exactly as a run saved with those settings.
@Suite struct ResumeChangesTests {
    static let width = 3

    /// A checkpoint after a few steps at learning rate 5e-3 and EMA decay 0.99.
    static func savedRun() throws -> (checkpoint: Checkpoint, data: InMemoryGraphs) {
        let data = InMemoryGraphs.random(count: 13, width: width, seed: 9)
        let trainer = try Trainer(denoiser: LinearTestDenoiser(featureWidth: width), process: try TrainerTests.process(),
                                  configuration: TrainerTests.configuration(seed: 31), datasetSize: data.count)
        for _ in 0 ..< 4 { _ = try trainer.step(on: data) }
        return (trainer.checkpoint(modelConfiguration: "{}"), data)
    }

    static func resume(_ checkpoint: Checkpoint, changes: TrainerConfiguration.Changes = .init()) throws -> Trainer {
        try Trainer(denoiser: LinearTestDenoiser(featureWidth: width), process: try TrainerTests.process(),
                    resumingFrom: checkpoint, changes: changes)
    }

    @Test func changesListOnlyWhatDiffers() {
        let saved = TrainerTests.configuration(seed: 1)
        let (unchanged, none) = saved.applying(.init(learningRate: saved.optimizer.learningRate))
        #expect(unchanged == saved && none.isEmpty)
        let (changed, lines) = saved.applying(.init(learningRate: 1e-4, emaDecay: 0.999, clipsGradients: false))
        #expect(changed.optimizer.learningRate == 1e-4 && changed.emaDecay == 0.999 && !changed.clipsGradients)
        #expect(changed.optimizer.weightDecay == saved.optimizer.weightDecay && changed.batchSize == saved.batchSize)
        #expect(lines.count == 3 && lines[0].hasPrefix("learning rate"))
    }

    @Test func newLearningRateActsAsIfSaved() throws {
        let (checkpoint, data) = try Self.savedRun()
        var edited = checkpoint
        edited.trainer.optimizer.learningRate = 1e-4
        let reference = try Self.resume(edited)
        let changed = try Self.resume(checkpoint, changes: .init(learningRate: 1e-4))
        let untouched = try Self.resume(checkpoint)
        for _ in 0 ..< 3 {
            _ = try reference.step(on: data)
            _ = try changed.step(on: data)
            _ = try untouched.step(on: data)
        }
        #expect(changed.configuration.optimizer.learningRate == 1e-4)
        #expect(changed.state.parameters == reference.state.parameters)
        #expect(changed.state.parameters != untouched.state.parameters)
    }

    @Test func emaDecayCanChangeStartOrStop() throws {
        let (checkpoint, data) = try Self.savedRun()
        let saved = try #require(checkpoint.state.ema)

        let longer = try Self.resume(checkpoint, changes: .init(emaDecay: 0.999))
        #expect(longer.state.ema?.decay == 0.999)
        #expect(longer.state.ema?.weights == saved.weights)   // goes on from the saved average
        let before = try #require(longer.state.ema?.weights)
        _ = try longer.step(on: data)
        let after = try #require(longer.state.ema?.weights)
        // θ_ema ← 0.999 θ_ema + 0.001 θ, element by element.
        for i in after.indices {
            let expected = 0.999 * before[i] + 0.001 * longer.state.parameters[i]
            #expect(abs(after[i] - expected) <= 1e-6 * max(1, abs(expected)))
        }

        let off = try Self.resume(checkpoint, changes: .init(emaDecay: 0))
        #expect(off.state.ema == nil)
        #expect(off.samplingParameters == off.state.parameters)

        var withoutEMA = checkpoint
        withoutEMA.trainer.emaDecay = 0
        withoutEMA.state.ema = nil
        let on = try Self.resume(withoutEMA, changes: .init(emaDecay: 0.9))
        #expect(on.state.ema?.decay == 0.9)
        #expect(on.state.ema?.weights == withoutEMA.state.parameters)

        #expect(throws: DiffusionError.invalidConfiguration("EMA decay must be in [0, 1), got 1.5")) {
            try Self.resume(checkpoint, changes: .init(emaDecay: 1.5))
        }
    }
}
