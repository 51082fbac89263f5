import ArgumentParser
import Cluster
import Foundation

/// `rgdm bench data-parallel`: times data-parallel training steps; run it under mpirun
/// (`mpirun -np 2 rgdm bench data-parallel --threads 1`) to time N ranks, alone for one.
/// Rank 0 prints. scripts/bench-data-parallel.sh compares 1 and 2 ranks.
struct BenchDataParallelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data-parallel",
        abstract: "Time data-parallel training steps (run under mpirun for several ranks).")

    @Option(help: "Equivariant blocks (config S: 4, M: 9).") var layers = 4
    @Option(help: "Hidden width (config S: 64, M: 256).") var hidden = 64
    @Option(help: "Molecules per global batch (split over the ranks).") var batch = 64
    @Option(help: "Timed steps.") var steps = 10
    @Option(help: "Untimed warm-up steps.") var warmup = 2
    @Option(help: "Floats per all-reduce call.") var bucketFloats = 1 << 23
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard layers >= 1, hidden >= 1, batch >= 1, bucketFloats >= 1 else {
            throw ValidationError("--layers, --hidden, --batch and --bucket-floats must be at least 1")
        }
        guard steps >= 1, warmup >= 0 else { throw ValidationError("--steps must be ≥ 1 and --warmup ≥ 0") }
    }

    func run() throws {
        let job = try ClusterJob.join()
        do {
            let bench = DataParallelBenchmark(configuration: .init(
                layers: layers, hidden: hidden, batch: batch, ranks: job.size, threads: global.workerCount,
                bucketFloats: bucketFloats, steps: steps, warmup: warmup, seed: global.seed))
            let result = try bench.run(communicator: job.communicator)
            try job.finish()
            if job.isPrimary { print(json ? try result.json() : result.lines.joined(separator: "\n")) }
        } catch where job.size > 1 {
            FileHandle.standardError.write(Data("rgdm bench data-parallel: rank \(job.rank) of \(job.size): \(error)\n".utf8))
            job.abort(code: 1)
        }
    }
}
