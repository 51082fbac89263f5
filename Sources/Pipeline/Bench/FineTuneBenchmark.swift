import Foundation

/// What `rgdm bench finetune` prints: rgdm's DDPO rounds beside the PyTorch peer's on the same
/// settings, with rgdm's speed-up on each figure, then the sampling and reward throughput of
/// a fine-tuning pool.
struct FineTuneBenchmark: Codable {
    var framework = "rgdm"
    var mode = "finetune"
    var ddpo: DDPOBenchmark.Result
    /// The PyTorch peer's run on the same settings (nil when not run).
    var peer: DDPOPeer.Result?
    /// Why the peer did not run, when it did not.
    var peerSkipped: String?
    var throughput: RewardThroughputBenchmark.Result?

    /// rgdm's speed over the peer's, per figure: the peer's seconds over rgdm's, rgdm's rates over the peer's (> 1: rgdm is faster).
    struct Speedup: Codable {
        var seconds: Double
        var samplingSeconds: Double
        var trainingSeconds: Double
        var moleculesPerSecond: Double
        var transitionsPerSecond: Double
        /// The peer process's CPU seconds (its start-up included) over rgdm's: the work, whatever else ran.
        var cpuSeconds: Double
    }

    /// Nil when the peer did not run.
    var speedup: Speedup?

    init(ddpo: DDPOBenchmark.Result, peer: DDPOPeer.Result? = nil, peerSkipped: String? = nil,
         throughput: RewardThroughputBenchmark.Result? = nil) {
        self.ddpo = ddpo
        self.peer = peer
        self.peerSkipped = peerSkipped
        self.throughput = throughput
        speedup = peer.map { peer in
            Speedup(seconds: peer.seconds / ddpo.seconds, samplingSeconds: peer.samplingSeconds / ddpo.samplingSeconds,
                    trainingSeconds: peer.trainingSeconds / ddpo.trainingSeconds,
                    moleculesPerSecond: ddpo.moleculesPerSecond / peer.moleculesPerSecond,
                    transitionsPerSecond: ddpo.transitionsPerSecond / peer.transitionsPerSecond,
                    cpuSeconds: peer.processCpuSeconds / ddpo.cpuSeconds)
        }
    }
}

extension FineTuneBenchmark: BenchmarkReport {
    var lines: [String] {
        let c = ddpo.configuration
        var lines = [
            "DDPO: \(c.layers) layers, hidden \(c.hidden) (\(ddpo.parameters) parameters, fresh weights), \(c.molecules) molecules, "
                + "\(c.steps) steps, \(c.rounds) round(s), \(c.ppoPasses) PPO pass(es), train batch \(c.trainBatch), \(c.threads) thread(s)",
        ]
        func row(_ name: String, _ rgdm: Double, _ peer: Double?, _ speedup: Double?) -> String {
            name.padding(toLength: 15, withPad: " ", startingAt: 0) + String(format: "%10.2f", rgdm)
                + (peer.map { String(format: "%10.2f", $0) } ?? "         –") + (speedup.map { String(format: "%9.2f×", $0) } ?? "")
        }
        let s = speedup
        lines.append("".padding(toLength: 15, withPad: " ", startingAt: 0) + "      rgdm   PyTorch" + (s == nil ? "" : "  rgdm speed-up"))
        lines.append(row("seconds", ddpo.seconds, peer?.seconds, s?.seconds))
        lines.append(row("sampling s", ddpo.samplingSeconds, peer?.samplingSeconds, s?.samplingSeconds))
        lines.append(row("scoring s", ddpo.scoringSeconds, peer?.scoringSeconds, nil))
        lines.append(row("training s", ddpo.trainingSeconds, peer?.trainingSeconds, s?.trainingSeconds))
        lines.append(row("molecules/s", ddpo.moleculesPerSecond, peer?.moleculesPerSecond, s?.moleculesPerSecond))
        lines.append(row("transitions/s", ddpo.transitionsPerSecond, peer?.transitionsPerSecond, s?.transitionsPerSecond))
        lines.append(row("CPU s", ddpo.cpuSeconds, peer?.processCpuSeconds, s?.cpuSeconds))
        if let peer {
            lines.append(String(format: "PyTorch %@ (its CPU s: the whole process, start-up ≈ 5 s included), peak RSS %.1f MB; other load: %.2f during rgdm, %.2f during the peer",
                                peer.version, Double(peer.peakRssBytes) / 1e6, ddpo.otherLoad ?? .nan, peer.otherLoad ?? .nan))
        } else if let peerSkipped {
            lines.append("PyTorch: not run (\(peerSkipped))")
        }
        if let t = throughput {
            lines.append(String(format: "sampling: %d molecules from %@ by %@: %.2f s, %.3f molecules/s, %.2f cores busy",
                                t.molecules, t.model, t.sampler, t.samplingSeconds, t.samplesPerSecond, t.samplingCoresBusy))
            let failures = t.failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(String(format: "reward %@: %d evaluations (%d cache hits; failures: %@) in %.2f s, %.1f evaluations/s, %.2f cores busy with %d worker(s) (other load %.2f)",
                                t.reward, t.evaluations, t.cacheHits, failures.isEmpty ? "none" : failures, t.scoringSeconds,
                                t.evaluationsPerSecond, t.coresBusy, t.workers, t.otherLoad ?? .nan))
            lines.append(String(format: "scoring CPU: %.2f s here, %@ in workers, %.2f s in programs that ended (xtb, commands)",
                                t.scoringCpuSecondsHere,
                                t.scoringCpuSecondsPerWorker.isEmpty ? "none" : t.scoringCpuSecondsPerWorker.map { String(format: "%.2f s", $0) }.joined(separator: " + "),
                                t.scoringCpuSecondsEndedChildren))
        }
        return lines
    }

    func json() throws -> String { try BenchmarkJSON.encode(self, snakeCase: true) }
}
