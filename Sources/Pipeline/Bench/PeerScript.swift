import Foundation

/// A peer benchmark of shared/bench (a Python script in the PyTorch environment of
/// shared/bench/peers/setup.sh), run as a child process from its own folder; it prints its
/// figures as one JSON object on its last line.
struct PeerScript {
    /// The Python with PyTorch and the script.
    var python: String
    var script: String

    /// The peer `script` with `python`, or the PyTorch environment's: `$PEERS_HOME/venv-torch/bin/python`
    /// (PEERS_HOME=/tmp/peers by default).
    init(python: String?, script: String) {
        let home = ProcessInfo.processInfo.environment["PEERS_HOME"] ?? "/tmp/peers"
        self.python = python ?? home + "/venv-torch/bin/python"
        self.script = script
    }

    /// Why the peer cannot run here, or nil when it can.
    var unavailable: String? {
        let files = FileManager.default
        if !files.isExecutableFile(atPath: python) { return "no Python at \(python); set up with shared/bench/peers/setup.sh" }
        if !files.fileExists(atPath: script) { return "no peer script at \(script)" }
        return nil
    }

    /// What a run printed, and what it cost as this process's child.
    struct Output {
        var json: [String: Any]
        /// CPU seconds of the peer (getrusage of the children, before and after).
        var cpuSeconds: Double
        /// Peak RSS of the largest child so far (getrusage of the children).
        var peakRssBytes: Int
    }

    /// Runs the script with `arguments`. Throws `PipelineError.invalidRun` naming the script when
    /// it cannot start, fails, or prints no JSON object with `required` keys on its last line.
    func run(_ arguments: [String], required: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.currentDirectoryURL = URL(fileURLWithPath: script).deletingLastPathComponent()
        process.arguments = [URL(fileURLWithPath: script).lastPathComponent] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let cpu = ResourceUsage.reapedChildrenCPUSeconds
        do { try process.run() } catch {
            throw PipelineError.invalidRun(path: script, reason: "cannot run the PyTorch peer: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
              let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              required.allSatisfy({ json[$0] != nil }) else {
            throw PipelineError.invalidRun(path: script, reason: "the PyTorch peer exited with status \(process.terminationStatus) without its JSON line")
        }
        return Output(json: json, cpuSeconds: ResourceUsage.reapedChildrenCPUSeconds - cpu, peakRssBytes: ResourceUsage.peakChildResidentBytes)
    }
}
