import ArgumentParser
import Chem
import Diffusion
import Foundation

/// `rgdm bench finetune`: times DDPO rounds on a fresh EGNN beside the PyTorch peer
/// (`ddpo_torch.py`) on the same settings, then the samples per second and reward evaluations
/// per second of a fine-tuning pool.
struct BenchFineTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Time DDPO rounds beside the PyTorch peer, and the sampling and reward throughput of fine-tuning.",
        discussion: """
        First DDPO (rgdm finetune --method ddpo) on a freshly initialised EGNN of --layers × --hidden: --rounds rounds, \
        each --molecules chains on --steps strided ancestral steps of T = 1000 with every transition kept, the peer's \
        synthetic reward (compactness, −mean squared radius), then --ppo-passes passes of PPO, --train-batch chains an \
        optimiser step, AdamW at learning rate 1e-5; then the PyTorch peer (shared/bench's ddpo_torch.py) on the same \
        settings and threads, and rgdm's speed-up on each figure. The shipped QM9 model is --layers 8 --hidden 128. \
        Then --pool molecules drawn by the default chain (from --model, or the fresh EGNN) and scored by --reward \
        (default qed; mmff94, xtb-gap and the other terms work too, the xTB ones when xtb is installed) with --threads \
        worker processes: molecules per second, evaluations per second, and the CPU seconds of rgdm and its workers \
        over the wall seconds of the scoring ("cores busy": 2 when both cores worked throughout). Open Babel rewards \
        use their workers from batches of 64 molecules; smaller ones are scored in this process.
        """)

    @Option(help: "Equivariant blocks (the peer's default: 4; the shipped QM9 model: 8).") var layers = 4
    @Option(help: "Hidden width (the peer's default: 64; the shipped QM9 model: 128).") var hidden = 64
    @Option(help: "Molecules (chains) a DDPO round.") var molecules = 64
    @Option(help: "Strided ancestral steps of each DDPO chain (T = 1000).") var steps = 50
    @Option(help: "DDPO rounds.") var rounds = 2
    @Option(help: "Passes of PPO over each round's transitions.") var ppoPasses = 1
    @Option(help: "Chains per optimiser step.") var trainBatch = 32
    @Option(help: "PPO's clip range ε.") var ppoClip = 1e-4
    @Option(help: "A trained molecule model to draw the throughput's molecules from (default: the fresh EGNN).") var model: String?
    @Option(help: "Molecules drawn and scored for the throughput (default: --molecules).") var pool: Int?
    @OptionGroup(title: "Reward (default qed)") var reward: RewardOptions
    @Option(help: "Python with PyTorch for the peer (default: $PEERS_HOME/venv-torch/bin/python, PEERS_HOME=/tmp/peers).")
    var peerPython: String?
    @Option(help: "The peer script.") var peerScript = "../shared/bench/peers/ddpo_torch.py"
    @Flag(help: "Time rgdm alone.") var noPeer = false
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard layers >= 1, hidden >= 1, rounds >= 1, ppoPasses >= 1, trainBatch >= 1 else {
            throw ValidationError("--layers, --hidden, --rounds, --ppo-passes and --train-batch must be at least 1")
        }
        guard molecules >= 2 else { throw ValidationError("--molecules must be at least 2: DDPO normalises rewards over a round") }
        guard (1 ... 1000).contains(steps) else { throw ValidationError("--steps must be in 1 … 1000 (got \(steps))") }
        guard ppoClip.isFinite && ppoClip > 0 else { throw ValidationError("--ppo-clip must be > 0 (got \(ppoClip))") }
        if let pool, pool < 1 { throw ValidationError("--pool must be at least 1 (got \(pool))") }
    }

    func run() throws {
        let threads = global.workerCount
        let configuration = DDPOBenchmark.Configuration(
            layers: layers, hidden: hidden, molecules: molecules, steps: steps, rounds: rounds, ppoPasses: ppoPasses,
            trainBatch: trainBatch, clip: ppoClip, threads: threads, seed: global.seed)
        // Build the reward first: a missing program fails before anything is timed.
        let specification = try reward.reward ?? RewardSpecification(parsing: "qed")
        var scorer = RewardScorer(reward: try specification.makeReward(reward.settings(workers: threads)),
                                  floor: reward.rewardFloor, caching: !reward.noRewardCache)
        let sampled = try model.map { try TrainedModel(path: $0, threads: threads) }
            ?? SyntheticMolecules.freshModel(layers: layers, hidden: hidden, threads: threads, seed: global.seed)
        guard sampled.card.domain == .molecules else {
            throw PipelineError.invalidModel(path: sampled.source, reason: "it generates \(sampled.card.domain.rawValue), not molecules")
        }
        try specification.check(atomicNumbers: sampled.card.atomicNumbers)

        let ddpo = try DDPOBenchmark(configuration: configuration).run()
        var peer: DDPOPeer.Result?, skipped: String?
        if noPeer {
            skipped = "--no-peer"
        } else {
            let script = PeerScript(python: peerPython, script: peerScript)
            if let reason = script.unavailable { skipped = reason } else { peer = try DDPOPeer(peer: script).run(configuration) }
        }
        let count = pool ?? molecules
        let throughput = try RewardThroughputBenchmark(model: sampled, molecules: count, batch: min(count, 100), seed: global.seed)
            .run(scorer: &scorer, workers: threads)
        let report = FineTuneBenchmark(ddpo: ddpo, peer: peer, peerSkipped: skipped, throughput: throughput)
        print(json ? try report.json() : report.lines.joined(separator: "\n"))
    }
}
