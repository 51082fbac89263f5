import Diffusion
import ArgumentParser
import Foundation

/// `rgdm bench sample`: times ancestral sampling of molecules with the EGNN
/// (T denoiser steps plus the final one), like the peers' `edm_torch.py sample`.
struct BenchSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Time ancestral sampling of QM9-sized molecules with the EGNN denoiser.")

    @Option(help: "Equivariant blocks (config S: 4).") var layers = 4
    @Option(help: "Hidden width (config S: 64).") var hidden = 64
    @Option(help: "Molecules sampled together.") var molecules = 100
    @Option(help: "Diffusion steps T (the peers use 1000).") var steps = 1000
    @Option(help: "Floats of one [edges, hidden] activation buffer per chunk of the batch (cache blocking).")
    var chunkFloats = EGNN.defaultChunkFloats
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard layers >= 1, hidden >= 1, molecules >= 1, steps >= 1 else {
            throw ValidationError("--layers, --hidden, --molecules and --steps must be at least 1")
        }
        guard chunkFloats >= 1 else { throw ValidationError("--chunk-floats must be at least 1 (got \(chunkFloats))") }
    }

    func run() throws {
        let bench = SampleBenchmark(configuration: .init(
            layers: layers, hidden: hidden, molecules: molecules, steps: steps, threads: global.workerCount,
            chunkFloats: chunkFloats, seed: global.seed))
        let report = try bench.run()
        print(json ? try report.json() : report.lines.joined(separator: "\n"))
    }
}
