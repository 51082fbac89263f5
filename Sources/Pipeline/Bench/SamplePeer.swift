import Foundation

/// The PyTorch peer of `rgdm bench sample`: shared/bench's `edm_torch.py sample` (EDM's EGNN
/// re-implemented in PyTorch, molecules padded to 29 atoms, strided ancestral chain) run as a
/// child process on the same model size, molecules, steps and threads.
struct SamplePeer {
    /// The Python with PyTorch (shared/bench's venv) and the peer script.
    var python: String
    var script: String

    struct Result: Codable {
        var version: String
        var seconds: Double
        var cpuSeconds: Double
        var networkCalls: Int
        var callsPerSecond: Double
        var moleculeCallsPerSecond: Double
        var moleculesPerSecond: Double
        /// Peak RSS of the peer process (getrusage of the child).
        var peakRssBytes: Int
        /// Share of the machine's CPU other processes used while it ran (the peer's own measure).
        var otherLoad: Double?
    }

    private var peer: PeerScript { PeerScript(python: python, script: script) }

    /// Why the peer cannot run here, or nil when it can.
    var unavailable: String? { peer.unavailable }

    func run(layers: Int, hidden: Int, molecules: Int, steps: Int, threads: Int, seed: UInt64) throws -> Result {
        let output = try peer.run(["sample", "--threads", "\(threads)", "--layers", "\(layers)", "--hidden", "\(hidden)",
                                   "--n-mol", "\(molecules)", "--steps", "\(steps)", "--seed", "\(seed)"],
                                  required: ["seconds", "cpu_seconds"])
        let json = output.json
        let seconds = json["seconds"] as? Double ?? .nan, cpu = json["cpu_seconds"] as? Double ?? .nan
        let calls = steps + 1
        return Result(version: json["version"] as? String ?? "?", seconds: seconds, cpuSeconds: cpu, networkCalls: calls,
                      callsPerSecond: Double(calls) / seconds, moleculeCallsPerSecond: Double(molecules * calls) / seconds,
                      moleculesPerSecond: Double(molecules) / seconds, peakRssBytes: output.peakRssBytes,
                      otherLoad: json["other_procs_cpu_frac"] as? Double)
    }
}
