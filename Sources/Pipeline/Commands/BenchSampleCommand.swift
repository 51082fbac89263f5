import Diffusion
import ArgumentParser
import Foundation

/// `rgdm bench sample`: times ancestral sampling of molecules with the EGNN, then the
/// PyTorch peer (`edm_torch.py sample`) on the same model size, molecules, calls and
/// threads, and prints network calls and molecules per second of both.
struct BenchSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Time ancestral sampling of QM9-sized molecules with the EGNN denoiser, beside the PyTorch peer.",
        discussion: """
        Both draw --molecules molecules by EDM's ancestral chain on --steps strided steps of T = 1000 \
        (steps + 1 network calls). The shipped QM9 model is --layers 8 --hidden 128. The peer is \
        shared/bench's edm_torch.py in the PyTorch environment of shared/bench/peers/setup.sh.
        """)

    @Option(help: "Equivariant blocks (config S: 4; the shipped QM9 model: 8).") var layers = 4
    @Option(help: "Hidden width (config S: 64; the shipped QM9 model: 128).") var hidden = 64
    @Option(help: "Molecules sampled together.") var molecules = 100
    @Option(help: "Strided steps of EDM's T = 1000 chain (1000: all of it).") var steps = 1000
    @Option(help: "Floats of one [edges, hidden] activation buffer per chunk of the batch (cache blocking).")
    var chunkFloats = EGNN.defaultChunkFloats
    @Option(help: "Python with PyTorch for the peer (default: $PEERS_HOME/venv-torch/bin/python, PEERS_HOME=/tmp/peers).")
    var peerPython: String?
    @Option(help: "The peer script.") var peerScript = "../shared/bench/peers/edm_torch.py"
    @Flag(help: "Time rgdm alone.") var noPeer = false
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard layers >= 1, hidden >= 1, molecules >= 1 else {
            throw ValidationError("--layers, --hidden and --molecules must be at least 1")
        }
        guard (1 ... SampleBenchmark.timesteps).contains(steps) else {
            throw ValidationError("--steps must be in 1 … \(SampleBenchmark.timesteps) (got \(steps))")
        }
        guard chunkFloats >= 1 else { throw ValidationError("--chunk-floats must be at least 1 (got \(chunkFloats))") }
    }

    func run() throws {
        let bench = SampleBenchmark(configuration: .init(
            layers: layers, hidden: hidden, molecules: molecules, steps: steps, threads: global.workerCount,
            chunkFloats: chunkFloats, seed: global.seed))
        var report = try bench.run()
        if noPeer {
            report.peerSkipped = "--no-peer"
        } else {
            let home = ProcessInfo.processInfo.environment["PEERS_HOME"] ?? "/tmp/peers"
            let peer = SamplePeer(python: peerPython ?? home + "/venv-torch/bin/python", script: peerScript)
            if let reason = peer.unavailable {
                report.peerSkipped = reason
            } else {
                report.peer = try peer.run(layers: layers, hidden: hidden, molecules: molecules, steps: steps,
                                           threads: global.workerCount, seed: global.seed)
            }
        }
        print(json ? try report.json() : report.lines.joined(separator: "\n"))
    }
}
