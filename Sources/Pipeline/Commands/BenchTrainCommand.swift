import Diffusion
import ArgumentParser
import Foundation

/// `rgdm bench train`: times training steps of the EGNN denoiser on QM9-sized
/// molecules (forward, EDM ε-loss, backward, AdamW), as the peers in
/// shared/bench do, and prints the figures (or one JSON object with --json).
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time training steps of the EGNN denoiser on synthetic QM9-sized molecules.")

    @Option(help: "Equivariant blocks (config S: 4, M: 9).") var layers = 4
    @Option(help: "Hidden width (config S: 64, M: 256).") var hidden = 64
    @Option(help: "Molecules per batch.") var batch = 64
    @Option(help: "Timed steps.") var steps = 20
    @Option(help: "Untimed warm-up steps.") var warmup = 3
    @Option(help: "Floats of one [edges, hidden] activation buffer per chunk of the batch (cache blocking).")
    var chunkFloats = EGNN.defaultChunkFloats
    @Flag(help: "Skip the profiled steps with timed matrix products.") var noProfile = false
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard layers >= 1, hidden >= 1, batch >= 1 else {
            throw ValidationError("--layers, --hidden and --batch must be at least 1 (got \(layers), \(hidden), \(batch))")
        }
        guard steps >= 1, warmup >= 0 else { throw ValidationError("--steps must be ≥ 1 and --warmup ≥ 0") }
        guard chunkFloats >= 1 else { throw ValidationError("--chunk-floats must be at least 1 (got \(chunkFloats))") }
    }

    func run() throws {
        let bench = TrainBenchmark(configuration: .init(
            layers: layers, hidden: hidden, batch: batch, threads: global.workerCount, chunkFloats: chunkFloats, steps: steps,
            warmup: warmup, seed: global.seed, profileProducts: !noProfile))
        var progress = ProgressLine(label: "bench train", total: warmup + steps)
        let report = try bench.run { done, _ in progress.update(done: done) }
        progress.finish()
        print(json ? try report.json() : report.lines.joined(separator: "\n"))
    }
}
