import ArgumentParser
import Chem
import Cluster
import Diffusion
import Foundation

/// `rgdm finetune --model CKPT --reward SPEC --output RUN`: steers a trained molecule model toward
/// a reward with RGDM (sample or step level) or the RAFT baseline, resuming the run folder's
/// checkpoint when there is one.
struct FineTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Fine-tune a trained molecule or shape model toward a reward (RGDM, or the RAFT baseline).",
        discussion: """
        --method rgdm (the default) runs rounds: a pool of --pool molecules drawn from the model, \
        scored, weighted by the pay-off distribution softmax(r / (rounds · τ)), then \
        --steps-per-round optimiser steps on it (plus λ = --data-weight times the ordinary loss on \
        --data). After --rounds rounds the model targets p_base · exp(r/τ). --method raft keeps \
        the best --keep-fraction of each pool instead. --method rgdm-step trains on data states \
        for --training-steps steps with --explorations draws around each reverse step, --radius in units of the step's own \
        deviation, rewards on each draw's denoised estimate (--score-on). --method ddpo is the \
        policy-gradient baseline: --pool chains a round, EDM's ancestral chain on --steps strided steps (default 100), PPO over their \
        transitions (--ppo-passes, --ppo-clip). The run folder holds \
        checkpoint.rgdm, log.jsonl (one line per step and per round, each round with its seconds of sampling, scoring \
        and training, and a closing line of the session's totals), best.sdf (the best molecules \
        with their rewards as SD fields) and report.html/.json. Run the same command to resume; \
        Ctrl-C saves and stops. A latent point model of shapes (every method; shape rewards such \
        as class(airplane)) is fine-tuned in its latent prior alone, the encoder and decoder frozen: the \
        pools are latents from the prior, decoded into clouds for the reward; rgdm-step's data states are \
        the latents of --data (a shape set) under the frozen encoder, each exploratory draw decoded and \
        scored as a cloud; best.h5 and best.tsv hold the best shapes and their rewards.
        """)

    @Option(name: .shortAndLong, help: "The trained model to start from.") var model: String
    @Option(name: .shortAndLong, help: "Run folder.") var output: String
    @Option(help: "rgdm (sample level), rgdm-step (step level), or the baselines raft and ddpo.") var method: FineTuneMethod = .rgdm
    @OptionGroup(title: "Reward") var reward: RewardOptions

    @Option(help: "Pay-off temperature τ (> 0).") var temperature = 0.1
    @Option(help: "Rounds (rgdm, raft).") var rounds = 10
    @Option(help: "Molecules drawn each round (rgdm, raft), or each evaluation (rgdm-step).") var pool = 256
    @Option(help: "Optimiser steps on each pool (rgdm, raft).") var stepsPerRound = 20
    @Option(help: "raft: the share of each pool kept.") var keepFraction = 0.1
    @Option(help: "Best molecules kept across rounds and added to each pool (rgdm, raft).") var replay = 0
    @Flag(help: "rgdm, raft: keep the base model's distribution of molecule sizes (by default each round tilts it by the pool's weights).")
    var fixedSizes = false
    @Option(help: "rgdm, raft: pseudo-count of each round's size tilt, shrinking it where few molecules of a size were drawn.")
    var sizePseudocount = 8.0

    @Option(help: ArgumentHelp("rgdm, raft on molecules: relax each pool molecule trained on by N MMFF94 conjugate-gradient steps from its generated geometry (its reward stays the generated one's).",
                               discussion: "Training on its own samples teaches a model its own geometric errors back; relaxing them first keeps the graphs the reward chose and removes the errors. Meant for rewards of the graph alone (qed, logp, tpsa)."))
    var relaxPool: Int?

    @Option(help: "An rgdm molecule set for the data term (and the data states of rgdm-step); for a shape model's rgdm-step, a shape set.")
    var data: String?
    @Option(help: "Its split.") var split = "train"
    @Option(help: "λ: the weight of the ordinary loss on data molecules (default: 1 with --data).") var dataWeight: Double?
    @Option(help: "Data molecules in each step's batch (rgdm, raft).") var dataBatch = 16

    @Option(help: "rgdm-step: exploratory draws K per data molecule (or shape latent) and step.") var explorations = 8
    @Option(help: "rgdm-step: exploration radius ρ, in units of the reverse step's deviation.") var radius = 0.5
    @Option(help: "rgdm-step: score each draw's denoised estimate or the noisy draw itself.")
    var scoreOn: DrawScoring = .denoised
    @Option(help: "rgdm-step: the highest level t trained (default: T).") var maximumLevel: Int?
    @Option(help: "rgdm-step: total optimiser steps.") var trainingSteps = 200
    @Option(help: "rgdm-step: draw and score an evaluation pool every N steps.") var evaluateEvery = 50
    @Option(help: "ddpo: passes of PPO over each round's chains.") var ppoPasses = 1
    @Option(help: "ddpo: PPO's clip range ε.") var ppoClip = 1e-4

    /// Molecules of the pool in each step's batch (rgdm, raft), or data molecules per step (rgdm-step): `--batch`.
    var batch: Int { optimizer.batch ?? 64 }

    @OptionGroup(title: "Pool sampling (rgdm sample's sampler options)") var sampling: SamplerOptions
    @Option(help: "Graphs denoised together when drawing pools.") var poolBatch = 100
    @Option(help: "Molecules: reference set for novelty (an rgdm HDF5 set or a molecule file).") var reference: String?
    @OptionGroup(title: "Optimisation") var optimizer: OptimizerOptions
    @Option(help: "Save a checkpoint every N steps.") var checkpointEvery = 20
    // Fine-tuning defaults differ from training's: --learning-rate 2e-5 and --ema-decay 0.9 unless given.
    @Option(help: "Write a log line every N steps.") var logEvery = 10
    @OptionGroup var global: GlobalOptions

    /// Steps between checkpoints: `--checkpoint-every`, and at least once a round (a round's
    /// optimiser steps; DDPO's are its PPO passes over the pool's minibatches), so a run that
    /// stops keeps every round it finished. Step-level RGDM has no rounds.
    var checkpointInterval: Int {
        let stepsInRound = switch method {
        case .rgdm, .raft: stepsPerRound
        case .ddpo: ppoPasses * ((pool + batch - 1) / batch)
        case .rgdmStep, .bestOfN: checkpointEvery
        }
        return min(checkpointEvery, stepsInRound)
    }

    func validate() throws {
        if rounds < 1 || pool < 1 || stepsPerRound < 1 || trainingSteps < 1 || evaluateEvery < 1 || poolBatch < 1 {
            throw ValidationError("--rounds, --pool, --steps-per-round, --training-steps, --evaluate-every and --pool-batch must be at least 1")
        }
        if !(temperature.isFinite && temperature > 0) { throw ValidationError("--temperature must be > 0 (got \(temperature))") }
        if !(keepFraction > 0 && keepFraction <= 1) { throw ValidationError("--keep-fraction must lie in (0, 1]") }
        if !(sizePseudocount.isFinite && sizePseudocount >= 0) { throw ValidationError("--size-pseudocount must be finite and ≥ 0") }
        if let dataWeight, !(dataWeight.isFinite && dataWeight >= 0) { throw ValidationError("--data-weight must be finite and ≥ 0") }
        if dataWeight.map({ $0 > 0 }) == true && data == nil { throw ValidationError("--data-weight needs --data") }
        if method == .rgdmStep && data == nil { throw ValidationError("--method rgdm-step trains on data states: give --data") }
        if reward.reward == nil { throw ValidationError("give the reward to steer toward: --reward SPEC") }
        if method == .ddpo, sampling.sampler.map({ $0 != .ancestral }) == true || (sampling.correctorSteps ?? 0) > 0
            || sampling.grid != nil || sampling.order != nil || sampling.eta != nil {
            throw ValidationError("--method ddpo's policy is EDM's plain ancestral chain on --steps strided steps: leave out --sampler, --grid, --order, --eta and --corrector-steps")
        }
        if let relaxPool {
            if relaxPool < 1 { throw ValidationError("--relax-pool takes at least 1 conjugate-gradient step (got \(relaxPool))") }
            if method != .rgdm && method != .raft { throw ValidationError("--relax-pool relaxes the pools of --method rgdm and raft, not \(method.rawValue)") }
        }
        if checkpointEvery < 1 || logEvery < 1 { throw ValidationError("--checkpoint-every and --log-every must be at least 1") }
    }

    /// The run's card: the base model's, with DDPO's policy chain recorded so that the fine-tuned
    /// model samples, by default, with the chain its reward was raised for.
    func runCard(_ base: ModelCard) -> ModelCard {
        var card = base
        if method == .ddpo { card.policyChain = PolicyChain(method: method.rawValue, steps: sampling.steps ?? 100) }
        return card
    }

    func run() throws {
        Interruption.install()
        let cluster = try ClusterJob.join()
        do {
            try fineTune(in: cluster)
            try cluster.finish()
        } catch where cluster.size > 1 {
            // Alone, this rank would leave the others waiting in the next collective.
            FileHandle.standardError.write(Data("rgdm finetune: rank \(cluster.rank) of \(cluster.size): \(error)\n".utf8))
            cluster.abort(code: 1)
        }
    }

    /// The run on this rank of `cluster` (every rank draws and scores its share; rank 0 writes and prints).
    private func fineTune(in cluster: ClusterJob) throws {
        let base = try TrainedModel(path: model, threads: global.workerCount)
        if base.card.domain == .shapes {
            if data != nil && method != .rgdmStep {
                throw ValidationError("--data is for molecule models and a shape model's rgdm-step: its prior is fine-tuned on its own pools")
            }
            if relaxPool != nil { throw ValidationError("--relax-pool relaxes molecules by MMFF94; \(model) is a shape model") }
            if cluster.size > 1 { throw ValidationError("a shape model's fine-tuning runs in one process, not over MPI ranks") }
            print(try ShapeFineTuneJob(command: self, base: base).run())
            return
        }
        guard let spec = reward.reward else { throw ValidationError("give the reward to steer toward: --reward SPEC") }
        try spec.check(atomicNumbers: base.card.atomicNumbers)
        if cluster.size > 1 && cluster.isPrimary {
            FileHandle.standardError.write(Data("rgdm finetune: \(cluster.size) ranks × \(global.workerCount) thread(s), each drawing and scoring its share of every pool\n".utf8))
        }
        let job = try FineTuneJob(command: self, base: base, cluster: cluster)
        let outcome = try job.run()
        if cluster.isPrimary { print(outcome) }
    }
}
