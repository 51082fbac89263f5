import Chem
import Cluster
import Diffusion
import Foundation

/// One `rgdm finetune` run: opens (or resumes) the run folder from the base model, builds the
/// reward session and the method's steps, runs the training loop, then writes the best
/// molecules and the report. Progress goes to the command through `progress`.
///
/// Over the ranks of an MPI job (`cluster`) every rank runs the same job: each draws its share
/// of every pool (`PoolDraw`) and scores its share (`MoleculeRewardSession`), all ranks then hold
/// the whole pool and its rewards, and the optimiser steps are data-parallel as in `rgdm train`.
/// Rank 0 alone writes the run folder.
struct FineTuneJob {
    let command: FineTuneCommand
    let base: TrainedModel
    let cluster: ClusterJob

    init(command: FineTuneCommand, base: TrainedModel, cluster: ClusterJob) throws {
        self.command = command
        self.base = base
        self.cluster = cluster
    }

    var communicator: any Communicator { cluster.communicator }

    /// Pools drawn over the ranks in chunks of `--pool-batch`.
    var poolDraw: PoolDraw { PoolDraw(communicator: communicator, chunkSize: command.poolBatch) }

    /// The run's reward session: the scorer (with its own worker processes), the reference set
    /// for novelty and the codec of the base model's atoms.
    func makeSession(threads: Int) throws -> MoleculeRewardSession {
        guard let scorer = try command.reward.makeScorer(workers: threads) else {
            throw PipelineError.invalidReward(specification: "", reason: "give the reward to steer toward: --reward SPEC")
        }
        let reference = try command.reference.map { try ReferenceSMILES.load($0) }
        let session = MoleculeRewardSession(codec: MoleculeCodec(card: base.card), scorer: scorer, reference: reference,
                                            communicator: communicator)
        session.relaxation = command.relaxPool.map { PoolRelaxation(steps: $0) }
        return session
    }

    /// The base model's weights as the fine-tuned run's start, with fine-tuning's defaults: a
    /// smaller learning rate and a short EMA.
    private func trainerConfiguration() -> TrainerConfiguration {
        var configuration = command.optimizer.configuration(seed: command.global.seed)
        if command.optimizer.learningRate == nil { configuration.optimizer.learningRate = 2e-5 }
        // The pools are drawn with the EMA weights: a short average, so they follow the run.
        if command.optimizer.emaDecay == nil { configuration.emaDecay = 0.9 }
        configuration.batchSize = command.batch
        return configuration
    }

    func run() throws -> String {
        let directory = RunDirectory(URL(fileURLWithPath: command.output))
        let threads = command.global.workerCount
        if command.method == .bestOfN { return try bestOfN(directory: directory, threads: threads) }
        let run = try TrainingRun(directory: directory, card: command.runCard(base.card), configuration: trainerConfiguration(),
                                  changes: command.optimizer.changes, datasetSize: 1, threads: threads,
                                  initializeFrom: directory.hasCheckpoint ? nil : command.model, communicator: communicator)
        if cluster.isPrimary { try directory.recordInvocation(command: "finetune", step: run.step) }
        let saved = directory.hasCheckpoint ? try directory.loadCheckpoint().runState : nil
        let session = try makeSession(threads: threads)
        let codec = session.codec, reference = session.reference
        let data = try command.data.map { path -> MoleculeGraphSource in
            guard case let .molecules(source) = try TrainingData.open(path, split: command.split) else {
                throw PipelineError.invalidDataset(path: path, reason: "the data term needs an rgdm molecule set")
            }
            guard source.atomicNumbers == base.card.atomicNumbers, source.includesAtomicNumber == base.card.includesAtomicNumber else {
                throw PipelineError.invalidDataset(path: path, reason: "its atoms \(source.atomicNumbers) are not the model's \(base.card.atomicNumbers)")
            }
            return source
        }
        let pools = try command.sampling.settings(for: .molecules, architecture: base.card.architecture, timesteps: base.card.timesteps)
        let model = run.trainer.model, nodeCounts = base.card.nodeCounts, poolDraw = poolDraw
        let baseNorm = base.parameters.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let distance: (Trainer) -> Double = { trainer in
            zip(trainer.samplingParameters, base.parameters).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) }.squareRoot()
                / max(baseNorm, 1e-12)
        }
        let log = run.log, clock = RoundClock()
        let onRound: ([String: Double]) throws -> Void = { summary in
            var line: [String: Any] = ["event": "round", "step": run.step]
            for (key, value) in summary { line[key] = value }
            try log.append(line)
        }
        let draw: (Trainer) throws -> [SampleResult] = { trainer in
            let seed = command.global.seed ^ UInt64(trainer.state.step &+ 1) &* 0x9E37_79B9_7F4A_7C15
            return try poolDraw.draw(count: command.pool, seed: seed) { count, generator in
                try model.sample(count: count, batchSize: count, nodeCounts: nodeCounts, condition: [],
                                 parameters: trainer.samplingParameters, sampling: pools, using: &generator, progress: { _ in })
            }
        }
        let cluster = cluster
        let loop = TrainingLoop(checkpointEvery: command.checkpointInterval, logEvery: command.logEvery,
                                shouldStop: { cluster.stopRequested(Interruption.requested) })
        let lambda = command.dataWeight ?? (data == nil ? 0 : 1)
        var target = 0
        var outcome = TrainingLoop.Outcome(stepsTaken: 0, interrupted: true, seconds: 0, meanRecentLoss: .nan)
        var summaries: () -> [[String: Double]] = { session.rounds }
        // A step whose loss is not finite (the run diverged) stops the run; its rounds, best
        // molecules and last checkpoint are kept and the error says so.
        var divergence: Error?
        let started = Date()
        do {
            switch command.method {
            case .rgdm, .raft:
                let settings = SampleLevelRGDM.Settings(
                    selection: command.method == .raft ? .top(fraction: command.keepFraction) : .payoff,
                    temperature: command.temperature, rounds: command.rounds, poolSize: command.pool,
                    stepsPerRound: command.stepsPerRound, batchSize: command.batch, dataWeight: lambda,
                    dataBatchSize: data == nil ? 0 : command.dataBatch, replaySize: command.replay,
                    nodeCountPseudocount: command.fixedSizes ? nil : command.sizePseudocount)
                let methodState = try FineTuneSteps<SampleLevelRGDM, MoleculeRewardSession>.restore(saved, session: session, evaluation: nil, path: directory.url.path)
                var roundFailure: Error?
                let rgdm = try SampleLevelRGDM(
                    settings: settings, seed: command.global.seed, nodeCounts: nodeCounts, data: data, runState: methodState,
                    draw: { parameters, nodeCounts, count, generator in
                        let seed = generator.next()   // the round's pool seed; each chunk draws with its own (PoolDraw)
                        return try clock.measure(.sampling) {
                            try poolDraw.draw(count: count, seed: seed) { count, generator in
                                try model.sample(count: count, batchSize: count, nodeCounts: nodeCounts, condition: [],
                                                 parameters: parameters, sampling: pools, using: &generator, progress: { _ in })
                            }
                        }
                    },
                    score: { samples in try clock.measure(.scoring) { try session.scoreSamples(samples) } },
                    onRound: { round in
                        do {
                            try onRound(session.finishRound(round.index, samples: round.samples, rewards: session.lastRewards,
                                                            distance: distance(run.trainer), timing: clock.lap()))
                        } catch { roundFailure = error }
                    })
                var steps = FineTuneSteps(method: rgdm, session: session, evaluation: nil, distance: distance, onRound: onRound, clock: clock)
                target = settings.totalSteps
                outcome = try loop.run(run, steps: &steps, until: target)
                if let roundFailure { throw roundFailure }
            case .ddpo:
                guard let egnn = model as? EGNNModel else {
                    throw PipelineError.invalidModel(path: command.model, reason: "DDPO needs an EGNN model")
                }
                let settings = DDPO<EGNN>.Settings(chains: command.pool, steps: command.sampling.steps ?? 100,
                                                   passes: command.ppoPasses, minibatch: command.batch, clip: command.ppoClip,
                                                   chunk: command.poolBatch)
                let methodState = try FineTuneSteps<DDPO<EGNN>, MoleculeRewardSession>.restore(saved, session: session, evaluation: nil, path: directory.url.path)
                var roundFailure: Error?
                var index = session.rounds.count
                let ddpo = try DDPO(model: egnn, settings: settings, nodeCounts: nodeCounts, seed: command.global.seed,
                                    runState: methodState,
                                    score: { samples in
                                        clock.samplingEndsNow()   // DDPO draws its chains at the start of a round's first step
                                        return try clock.measure(.scoring) { try session.scoreGraphs(samples) }
                                    },
                                    onRound: { samples, rewards in
                                        index += 1
                                        do {
                                            try onRound(session.finishRound(index, samples: [samples], rewards: rewards,
                                                                            distance: distance(run.trainer), timing: clock.lap()))
                                        } catch { roundFailure = error }
                                    })
                var steps = FineTuneSteps(method: ddpo, session: session, evaluation: nil, distance: distance, onRound: onRound, clock: clock)
                target = command.rounds * settings.stepsPerRound
                outcome = try loop.run(run, steps: &steps, until: target)
                if let roundFailure { throw roundFailure }
            case .bestOfN:
                preconditionFailure("best-of-N never trains: run() hands it to bestOfN(directory:threads:)")
            case .rgdmStep:
                guard let egnn = model as? EGNNModel, let data else {
                    throw PipelineError.invalidModel(path: command.model, reason: "step-level RGDM needs an EGNN model and --data")
                }
                let settings = StepLevelRGDM<EGNN>.Settings(
                    temperature: command.temperature, explorations: command.explorations, radius: command.radius,
                    dataWeight: lambda, batchSize: command.batch, scoredState: command.scoreOn, maximumTimestep: command.maximumLevel)
                let evaluation = MoleculeRewardSession(codec: codec, scorer: try command.reward.makeScorer(workers: threads)!,
                                                       reference: reference, communicator: communicator)
                evaluation.budget = { session.scorer.ledger.evaluations }
                let methodState = try FineTuneSteps<StepLevelRGDM<EGNN>, MoleculeRewardSession>.restore(saved, session: session, evaluation: evaluation,
                                                                              path: directory.url.path)
                let rgdm = try StepLevelRGDM(model: egnn, settings: settings, data: data, seed: command.global.seed,
                                             runState: methodState) { graphs in try clock.measure(.stepScoring) { try session.scoreGraphs(graphs) } }
                var steps = FineTuneSteps(method: rgdm, session: session, evaluation: (command.evaluateEvery, evaluation, draw),
                                          distance: distance, onRound: onRound, clock: clock)
                target = command.trainingSteps
                outcome = try loop.run(run, steps: &steps, until: target)
                summaries = { evaluation.rounds }
            }
        } catch DiffusionError.nonFiniteLoss(let step, let loss) {
            outcome.seconds = Date().timeIntervalSince(started)
            divergence = Divergence.error(step: step, loss: loss, method: command.method, directory: directory)
        }
        try log.append(RoundClock.line(clock.totals, step: run.step, seconds: outcome.seconds))
        if let divergence, !cluster.isPrimary { throw divergence }
        guard cluster.isPrimary else { return "" }
        let best = session.bestMolecules()
        try MoleculeDecoding.write(best, to: directory.url.appendingPathComponent("best.sdf").path)
        try RunReport.fineTuning(name: directory.name, method: command.method, card: run.card, steps: run.step,
                                 learningRate: Double(run.trainer.configuration.optimizer.learningRate), seconds: outcome.seconds,
                                 interrupted: outcome.interrupted, reward: session.scorer.ledger,
                                 rounds: summaries(), best: session.best, timing: clock.totals).write(base: directory.reportBase)
        if let divergence { throw divergence }
        let status = outcome.interrupted ? "interrupted; run the same command to resume" : "done"
        let last = summaries().last
        return String(format: "%@: step %d of %d, %d reward evaluations, last round's mean reward %.4f (top 10%% %.4f), validity %.3f; %@",
                      status, run.step, target, session.scorer.ledger.evaluations, last?["reward_mean"] ?? .nan,
                      last?["reward_top10_mean"] ?? .nan, last?["validity"] ?? .nan, directory.url.path)
    }
}
