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

    /// Why the peer cannot run here, or nil when it can.
    var unavailable: String? {
        let files = FileManager.default
        if !files.isExecutableFile(atPath: python) { return "no Python at \(python); set up with shared/bench/peers/setup.sh" }
        if !files.fileExists(atPath: script) { return "no peer script at \(script)" }
        return nil
    }

    func run(layers: Int, hidden: Int, molecules: Int, steps: Int, threads: Int, seed: UInt64) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.currentDirectoryURL = URL(fileURLWithPath: script).deletingLastPathComponent()
        process.arguments = [URL(fileURLWithPath: script).lastPathComponent, "sample", "--threads", "\(threads)",
                             "--layers", "\(layers)", "--hidden", "\(hidden)", "--n-mol", "\(molecules)",
                             "--steps", "\(steps)", "--seed", "\(seed)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PipelineError.invalidRun(path: script, reason: "cannot run the PyTorch peer: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let peak = ResourceUsage.peakChildResidentBytes
        guard process.terminationStatus == 0,
              let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
              let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let seconds = json["seconds"] as? Double, let cpu = json["cpu_seconds"] as? Double else {
            throw PipelineError.invalidRun(path: script, reason: "the PyTorch peer exited with status \(process.terminationStatus) without its JSON line")
        }
        let calls = steps + 1
        return Result(version: json["version"] as? String ?? "?", seconds: seconds, cpuSeconds: cpu, networkCalls: calls,
                      callsPerSecond: Double(calls) / seconds, moleculeCallsPerSecond: Double(molecules * calls) / seconds,
                      moleculesPerSecond: Double(molecules) / seconds, peakRssBytes: peak,
                      otherLoad: json["other_procs_cpu_frac"] as? Double)
    }
}
