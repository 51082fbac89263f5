import Diffusion
import Foundation
import PointCloud

/// One `rgdm finetune` run of a latent point model of shapes: sample-level RGDM, RAFT, DDPO or
/// step-level RGDM on the latent prior alone (`LatentPriorModel`), the encoder and decoder frozen;
/// pools (or exploratory draws) of latents from the prior, decoded into clouds for the reward; or
/// best-of-N from the base model. Writes the best shapes (`best.h5`, their rewards in `best.tsv`)
/// and the report.
struct ShapeFineTuneJob {
    let command: FineTuneCommand
    let base: TrainedModel
    let prior: LatentPriorModel
    /// Asked before every step; true saves and stops (Ctrl-C).
    var shouldStop: () -> Bool = { Interruption.requested }

    /// Throws `PipelineError.invalidModel` unless `base` is a latent point model.
    init(command: FineTuneCommand, base: TrainedModel) throws {
        guard let model = base.model as? LatentPointModel else {
            throw PipelineError.invalidModel(path: command.model, reason: "rgdm finetune steers shape models through their latent prior; this \(base.card.architecture.rawValue) model has none")
        }
        self.command = command
        self.base = base
        prior = LatentPriorModel(model)
    }

    var pointCount: Int { base.card.nodeCounts.counts.last ?? 0 }

    /// A reward session; `seed` (default: the run's) seeds the decoding of its pools.
    func makeSession(threads: Int, seed: UInt64? = nil) throws -> ShapeRewardSession {
        guard let spec = command.reward.reward else {
            throw PipelineError.invalidReward(specification: "", reason: "give the reward to steer toward: --reward SPEC")
        }
        let reward = try spec.makeShapeReward(command.reward.settings(workers: threads))
        let scorer = RewardScorer(reward: reward, floor: command.reward.rewardFloor, caching: false) { _ in nil }
        let sampling = try command.sampling.settings(for: .shapes, architecture: base.card.architecture, timesteps: base.card.timesteps)
        return ShapeRewardSession(prior: prior, parameters: base.parameters, pointCount: pointCount, decodeBatch: command.poolBatch,
                                  sampling: sampling, seed: seed ?? command.global.seed, scorer: scorer)
    }

    /// The molecule runs' defaults (learning rate 2e-5, EMA 0.9), and no weight decay: the
    /// frozen parts get a zero gradient, and only without decay does AdamW leave them as they are.
    private func trainerConfiguration() throws -> TrainerConfiguration {
        var configuration = command.optimizer.configuration(seed: command.global.seed)
        if command.optimizer.learningRate == nil { configuration.optimizer.learningRate = 2e-5 }
        if command.optimizer.emaDecay == nil { configuration.emaDecay = 0.9 }
        if let decay = command.optimizer.weightDecay, decay != 0 {
            throw PipelineError.invalidModel(path: command.model, reason: "--weight-decay \(decay) would shrink the frozen decoder; latent-prior fine-tuning runs without weight decay")
        }
        configuration.optimizer.weightDecay = 0
        configuration.batchSize = command.batch
        return configuration
    }

    func run() throws -> String {
        let directory = RunDirectory(URL(fileURLWithPath: command.output))
        let threads = command.global.workerCount
        if command.method == .bestOfN { return try bestOfN(directory: directory, threads: threads) }
        let run = try TrainingRun(directory: directory, card: command.runCard(base.card), configuration: try trainerConfiguration(),
                                  changes: command.optimizer.changes, datasetSize: 1, threads: threads,
                                  initializeFrom: directory.hasCheckpoint ? nil : command.model) { model in
            guard let latent = model as? LatentPointModel else {
                throw PipelineError.invalidModel(path: command.model, reason: "the run's model has no latent prior")
            }
            guard latent.conditionWidth == 0 else {
                throw PipelineError.invalidModel(path: command.model, reason: "its prior is class-conditional; fine-tuning steers an unconditional prior")
            }
            return LatentPriorModel(latent)
        }
        try directory.recordInvocation(command: "finetune", step: run.step)
        let saved = directory.hasCheckpoint ? try directory.loadCheckpoint().runState : nil
        let session = try makeSession(threads: threads)
        let model = run.trainer.model, poolBatch = command.poolBatch
        let latentSampling = session.sampling
        let range = prior.trainedRange
        let baseNorm = base.parameters[range].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let distance: (Trainer) -> Double = { trainer in
            zip(trainer.samplingParameters[range], base.parameters[range])
                .reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) }.squareRoot() / max(baseNorm, 1e-12)
        }
        let log = run.log, clock = RoundClock()
        let onRound: ([String: Double]) throws -> Void = { summary in
            var line: [String: Any] = ["event": "round", "step": run.step]
            for (key, value) in summary { line[key] = value }
            try log.append(line)
        }
        let loop = TrainingLoop(checkpointEvery: command.checkpointInterval, logEvery: command.logEvery,
                                shouldStop: shouldStop)
        var outcome = TrainingLoop.Outcome(stepsTaken: 0, interrupted: true, seconds: 0, meanRecentLoss: .nan), totalSteps = 0
        // The session whose rounds and best shapes the report shows: step-level RGDM's evaluation pools.
        var reported = session
        // A step whose loss is not finite stops the run; its rounds, best shapes and last checkpoint are kept.
        var divergence: Error?
        let started = Date()
        do {
            if command.method == .ddpo {
                let ddpo = try runDDPO(run, session: session, saved: saved, distance: distance, onRound: onRound, clock: clock, loop: loop)
                (outcome, totalSteps) = (ddpo.outcome, ddpo.target)
            } else if command.method == .rgdmStep {
                let step = try runStepLevel(run, session: session, saved: saved, distance: distance, onRound: onRound, clock: clock,
                                            loop: loop, threads: threads)
                (outcome, totalSteps, reported) = (step.outcome, command.trainingSteps, step.evaluation)
            } else {
                let settings = SampleLevelRGDM.Settings(
                    selection: command.method == .raft ? .top(fraction: command.keepFraction) : .payoff,
                    temperature: command.temperature, rounds: command.rounds, poolSize: command.pool,
                    stepsPerRound: command.stepsPerRound, batchSize: command.batch, replaySize: command.replay)
                let methodState = try FineTuneSteps<SampleLevelRGDM, ShapeRewardSession>.restore(saved, session: session, evaluation: nil,
                                                                                                 path: directory.url.path)
                var roundFailure: Error?
                let rgdm = try SampleLevelRGDM(
                    settings: settings, seed: command.global.seed, nodeCounts: try NodeCountDistribution(observedCounts: [1]),
                    data: nil, runState: methodState,
                    draw: { parameters, nodeCounts, count, generator in
                        try clock.measure(.sampling) {
                            try model.sample(count: count, batchSize: poolBatch, nodeCounts: nodeCounts, condition: [],
                                             parameters: parameters, sampling: latentSampling, using: &generator, progress: { _ in })
                        }
                    },
                    // Decoding the pool is part of its scoring: the reward sees clouds.
                    score: { samples in try clock.measure(.scoring) { try session.scoreSamples(samples) } },
                    onRound: { round in
                        do {
                            try onRound(session.finishRound(round.index, samples: round.samples, rewards: session.lastRewards,
                                                            distance: distance(run.trainer), timing: clock.lap()))
                        } catch { roundFailure = error }
                    })
                var steps = FineTuneSteps(method: rgdm, session: session, evaluation: nil, distance: distance, onRound: onRound, clock: clock)
                outcome = try loop.run(run, steps: &steps, until: settings.totalSteps)
                if let roundFailure { throw roundFailure }
                totalSteps = settings.totalSteps
            }
        } catch DiffusionError.nonFiniteLoss(let step, let loss) {
            outcome.seconds = Date().timeIntervalSince(started)
            divergence = Divergence.error(step: step, loss: loss, method: command.method, directory: directory)
        }
        try log.append(RoundClock.line(clock.totals, step: run.step, seconds: outcome.seconds))
        try writeBest(reported, to: directory)
        try RunReport.shapeFineTuning(name: directory.name, method: command.method, card: run.card, steps: run.step,
                                      learningRate: Double(run.trainer.configuration.optimizer.learningRate),
                                      seconds: outcome.seconds, interrupted: outcome.interrupted, reward: session.scorer.ledger,
                                      rounds: reported.rounds, best: reported.best, timing: clock.totals).write(base: directory.reportBase)
        if let divergence { throw divergence }
        let last = reported.rounds.last
        return String(format: "%@: step %d of %d, %d reward evaluations, last round's mean reward %.4f (top 10%% %.4f)%@; %@",
                      outcome.interrupted ? "interrupted; run the same command to resume" : "done", run.step, totalSteps,
                      session.scorer.ledger.evaluations, last?["reward_mean"] ?? .nan, last?["reward_top10_mean"] ?? .nan,
                      last?["class_share"].map { String(format: ", class share %.3f", $0) } ?? "", directory.url.path)
    }

    /// `best.h5`: the best shapes, best first, as `best/test` in the ShapeNet layout; `best.tsv`:
    /// rank, reward and round of each.
    func writeBest(_ session: ShapeRewardSession, to directory: RunDirectory) throws {
        let clouds = session.bestClouds
        guard !clouds.isEmpty else { return }
        try ShapeNetLayout.write([.init(category: "best", split: "test", clouds: clouds)], pointCount: pointCount,
                                 to: directory.url.appendingPathComponent("best.h5").path,
                                 attributes: [ShapeNetLayout.Attribute.source: .string("rgdm finetune")], storage: .contiguous)
        let rows = session.best.enumerated().map { "\($0.offset + 1)\t\(String(format: "%.6g", $0.element.reward))\t\($0.element.round)" }
        try (["rank\treward\tround"] + rows).joined(separator: "\n").appending("\n")
            .write(to: directory.url.appendingPathComponent("best.tsv"), atomically: true, encoding: .utf8)
    }
}
