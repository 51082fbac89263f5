import Foundation

/// The PyTorch peer of `rgdm bench finetune`: shared/bench's `ddpo_torch.py` (DDPO on EDM's EGNN
/// in PyTorch, molecules padded to 29 atoms), run as a child process on the same model size,
/// molecules, steps, rounds, PPO passes, training batch and threads.
struct DDPOPeer {
    let peer: PeerScript

    struct Result: Codable {
        var version: String
        var seconds: Double
        /// CPU seconds of the whole peer process, Python's start-up and PyTorch's import included.
        var processCpuSeconds: Double
        var samplingSeconds: Double
        var scoringSeconds: Double
        var trainingSeconds: Double
        var moleculesPerSecond: Double
        var transitionsPerSecond: Double
        /// Peak RSS of the peer process (getrusage of the child).
        var peakRssBytes: Int
        /// Share of the machine's CPU other processes used while it ran (the peer's own measure).
        var otherLoad: Double?
    }

    func run(_ c: DDPOBenchmark.Configuration) throws -> Result {
        let keys = ["seconds", "sample_seconds", "train_seconds", "reward_seconds", "molecules_per_second", "transitions_per_second"]
        let output = try peer.run(["--threads", "\(c.threads)", "--layers", "\(c.layers)", "--hidden", "\(c.hidden)",
                                   "--n-mol", "\(c.molecules)", "--steps", "\(c.steps)", "--rounds", "\(c.rounds)",
                                   "--inner-epochs", "\(c.ppoPasses)", "--train-batch", "\(c.trainBatch)",
                                   "--clip", "\(c.clip)", "--seed", "\(c.seed)"], required: keys)
        let json = output.json
        func figure(_ key: String) -> Double { (json[key] as? NSNumber)?.doubleValue ?? .nan }
        return Result(version: json["version"] as? String ?? "?", seconds: figure("seconds"), processCpuSeconds: output.cpuSeconds,
                      samplingSeconds: figure("sample_seconds"), scoringSeconds: figure("reward_seconds"),
                      trainingSeconds: figure("train_seconds"), moleculesPerSecond: figure("molecules_per_second"),
                      transitionsPerSecond: figure("transitions_per_second"), peakRssBytes: output.peakRssBytes,
                      otherLoad: (json["other_procs_cpu_frac"] as? NSNumber)?.doubleValue)
    }
}
