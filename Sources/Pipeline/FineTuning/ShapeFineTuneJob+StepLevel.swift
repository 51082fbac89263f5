import Diffusion
import Foundation

extension ShapeFineTuneJob {
    /// Step-level RGDM on the latent prior (`StepLevelRGDM` through `LatentPriorModel`): the data
    /// states are the --data shapes' latents under the frozen encoder (`trainingLatents`), each
    /// step's K draws per latent decoded by the frozen decoder and scored as clouds (on their x̂_0
    /// or the noisy draws, --score-on), the weighted NLL plus λ times the prior's ε-loss on the
    /// data latents. Every --evaluate-every steps a pool of --pool shapes from the prior is drawn
    /// and scored by a second session (not counted in the budget), whose rounds and best shapes
    /// the report shows. Returns the loop's outcome and that session.
    func runStepLevel(_ run: TrainingRun, session: ShapeRewardSession, saved: String?, distance: @escaping (Trainer) -> Double,
                      onRound: @escaping ([String: Double]) throws -> Void, clock: RoundClock, loop: TrainingLoop,
                      threads: Int) throws -> (outcome: TrainingLoop.Outcome, evaluation: ShapeRewardSession) {
        guard let model = run.trainer.model as? LatentPriorModel else {
            throw PipelineError.invalidModel(path: command.model, reason: "the run's model has no latent prior")
        }
        let data = try dataLatents()
        let settings = StepLevelRGDM<PointwiseDenoiser>.Settings(
            temperature: command.temperature, explorations: command.explorations, radius: command.radius,
            dataWeight: command.dataWeight ?? 1, batchSize: command.batch, scoredState: command.scoreOn,
            maximumTimestep: command.maximumLevel)
        // Its own decoding seed, so its pools are not decoded as the steps' draws are.
        let evaluation = try makeSession(threads: threads, seed: command.global.seed ^ 0x5EED_E7A1_0A7E_0001)
        evaluation.budget = { session.scorer.ledger.evaluations }
        let methodState = try FineTuneSteps<StepLevelRGDM<PointwiseDenoiser>, ShapeRewardSession>.restore(
            saved, session: session, evaluation: evaluation, path: run.directory.url.path)
        let rgdm: StepLevelRGDM<PointwiseDenoiser>
        do {
            // Decoding the draws is part of their scoring: the reward sees clouds.
            rgdm = try StepLevelRGDM(model: model, settings: settings, data: data, seed: command.global.seed, runState: methodState) { latents in
                try clock.measure(.stepScoring) { try session.scoreGraphs(latents) }
            }
        } catch let DiffusionError.invalidConfiguration(reason) {
            throw PipelineError.invalidModel(path: command.model, reason: reason)
        }
        let sizes = try NodeCountDistribution(observedCounts: [1])
        let pool = command.pool, poolBatch = command.poolBatch, seed = command.global.seed, sampling = session.sampling
        let draw: (Trainer) throws -> [SampleResult] = { trainer in
            var generator = Xoshiro256StarStar(seed: seed ^ UInt64(trainer.state.step &+ 1) &* 0x9E37_79B9_7F4A_7C15)
            return try model.sample(count: pool, batchSize: poolBatch, nodeCounts: sizes, condition: [],
                                    parameters: trainer.samplingParameters, sampling: sampling, using: &generator, progress: { _ in })
        }
        var steps = FineTuneSteps(method: rgdm, session: session, evaluation: (command.evaluateEvery, evaluation, draw),
                                  distance: distance, onRound: onRound, clock: clock)
        return (try loop.run(run, steps: &steps, until: command.trainingSteps), evaluation)
    }

    /// The --data shape set's clouds (--split) as latents of the base model's frozen encoder.
    /// Throws `PipelineError.invalidModel` without --data or for a prior whose data are not one
    /// latent per shape, `PipelineError.invalidDataset` for a set that is not a shape set.
    func dataLatents() throws -> EncodedLatents {
        guard let path = command.data else {
            throw PipelineError.invalidModel(path: command.model, reason: "step-level RGDM trains on data states: give --data, a shape set in the ShapeNet layout")
        }
        guard case let .shapes(clouds) = try TrainingData.open(path, split: command.split) else {
            throw PipelineError.invalidDataset(path: path, reason: "an rgdm molecule set; a shape model's rgdm-step needs a shape set in the ShapeNet layout")
        }
        do {
            return try prior.trainingLatents(of: clouds, parameters: base.parameters)
        } catch let DiffusionError.invalidConfiguration(reason) {
            throw PipelineError.invalidModel(path: command.model, reason: reason)
        }
    }
}
