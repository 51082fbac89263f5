import Testing
@testable import Diffusion

/// The public gradient step (`DiffusionModel.lossAndGradient`) and optimiser update
/// (`TrainingState.apply`) are the trainer's step, usable by any loop.
@Suite struct GradientStepInterfaceTests {
    @Test func lossAndGradientThenApplyIsTheTrainersStep() throws {
        let data = InMemoryGraphs.random(count: 6, width: TrainerTests.width, seed: 11)
        var batch = try data.batch(at: [0, 2, 3])
        batch.weights = [0.5, 2, 1]
        let model = try GraphDiffusionModel(network: LinearTestDenoiser(featureWidth: TrainerTests.width),
                                            process: TrainerTests.process())
        let trainer = try Trainer(model: model, configuration: TrainerTests.configuration(seed: 3), datasetSize: 1)
        var state = trainer.state
        var generator = state.generator
        let (loss, gradient) = try model.lossAndGradient(parameters: state.parameters, batch: batch, using: &generator)
        var clipped = gradient
        _ = state.apply(&clipped, configuration: trainer.configuration)

        let report = try trainer.step(on: batch)
        #expect(report.loss == loss)
        #expect(trainer.state.parameters == state.parameters)
        #expect(trainer.state.ema == state.ema)
        #expect(gradient.contains { $0 != 0 })
        // The weights enter the loss: other weights, another loss.
        var generator2 = trainer.state.generator
        var reweighted = batch
        reweighted.weights = [1, 1, 1]
        let a = try model.lossAndGradient(parameters: state.parameters, batch: batch, using: &generator2).loss
        generator2 = trainer.state.generator
        let b = try model.lossAndGradient(parameters: state.parameters, batch: reweighted, using: &generator2).loss
        #expect(a != b)
    }

    @Test func aBatchThatDoesNotFitIsRefusedWithItsReason() throws {
        let model = try GraphDiffusionModel(network: LinearTestDenoiser(featureWidth: TrainerTests.width),
                                            process: TrainerTests.process())
        var batch = try InMemoryGraphs.random(count: 2, width: TrainerTests.width, seed: 1).batch(at: [0, 1])
        batch.weights = [1]
        var generator = Xoshiro256StarStar(seed: 1)
        #expect { try model.lossAndGradient(parameters: model.initialParameters(using: &generator), batch: batch, using: &generator) }
            throws: { error in
                guard case let DiffusionError.invalidBatch(reason) = error else { return false }
                return reason == "weights: 1 values for 2 graphs"
            }
    }
}
