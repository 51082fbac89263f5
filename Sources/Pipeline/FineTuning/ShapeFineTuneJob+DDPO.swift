import Diffusion
import Foundation

extension ShapeFineTuneJob {
    /// DDPO on the latent prior: the policy is the prior's ancestral chain on --steps strided
    /// steps (`DDPO` through `LatentPriorModel`'s `AncestralPolicy`), each chain's final latent
    /// decoded by the frozen decoder and scored as a cloud; PPO over the prior's transitions.
    /// Returns the loop's outcome and the run's last step.
    func runDDPO(_ run: TrainingRun, session: ShapeRewardSession, saved: String?, distance: @escaping (Trainer) -> Double,
                 onRound: @escaping ([String: Double]) throws -> Void, clock: RoundClock,
                 loop: TrainingLoop) throws -> (outcome: TrainingLoop.Outcome, target: Int) {
        guard let model = run.trainer.model as? LatentPriorModel else {
            throw PipelineError.invalidModel(path: command.model, reason: "the run's model has no latent prior")
        }
        let settings = DDPO<PointwiseDenoiser>.Settings(chains: command.pool, steps: command.sampling.steps ?? 100,
                                                        passes: command.ppoPasses, minibatch: command.batch,
                                                        clip: command.ppoClip, chunk: command.poolBatch)
        let methodState = try FineTuneSteps<DDPO<PointwiseDenoiser>, ShapeRewardSession>.restore(saved, session: session, evaluation: nil,
                                                                                               path: run.directory.url.path)
        var roundFailure: Error?
        var index = session.rounds.count
        let ddpo = try DDPO(model: model, settings: settings, nodeCounts: try NodeCountDistribution(observedCounts: [1]),
                            seed: command.global.seed, runState: methodState,
                            score: { latents in
                                clock.samplingEndsNow()   // the chains are drawn at the start of a round's first step
                                // Decoding the chains' latents is part of their scoring: the reward sees clouds.
                                return try clock.measure(.scoring) { try session.scoreSamples([latents]).rewards }
                            },
                            onRound: { latents, rewards in
                                index += 1
                                do {
                                    try onRound(session.finishRound(index, samples: [latents], rewards: rewards,
                                                                    distance: distance(run.trainer), timing: clock.lap()))
                                } catch { roundFailure = error }
                            })
        var steps = FineTuneSteps(method: ddpo, session: session, evaluation: nil, distance: distance, onRound: onRound, clock: clock)
        let target = command.rounds * settings.stepsPerRound
        let outcome = try loop.run(run, steps: &steps, until: target)
        if let roundFailure { throw roundFailure }
        return (outcome, target)
    }
}
