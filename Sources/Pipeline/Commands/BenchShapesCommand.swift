import ArgumentParser
import Foundation

/// `rgdm bench shapes`: Chamfer, EMD and set-metric timings (run beside the NumPy/SciPy peer by
/// scripts/bench-shapes.sh).
struct BenchShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapes",
        abstract: "Time Chamfer, EMD and MMD/COV/1-NNA on random 2048-point clouds.",
        discussion: "Per-pair timings run on one thread; the set metrics use --threads workers. scripts/bench-shapes.sh runs the SciPy peer in the same run and prints the ratios."
    )

    @Option(help: "Points per cloud for the per-pair timings.")
    var points = 2048

    @Option(help: "Pairs in the Chamfer batch timing.")
    var pairs = 100

    @Option(help: "Repetitions of the one-pair Chamfer timing (median).")
    var reps = 20

    @Option(help: "EMD approximation bound relative to the EMD.")
    var emdTolerance = 1e-3

    @Option(help: "Clouds in each set for the MMD/COV/1-NNA timing.")
    var sets = 100

    @Option(help: "Points per cloud in the set timing.")
    var setPoints = 2048

    @Flag(help: "Skip the EMD set metrics (the slowest part).")
    var noSetEMD = false

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if points < 2 || pairs < 1 || reps < 1 || sets < 2 || setPoints < 2 { throw ValidationError("sizes must be positive (points, set points and sets at least 2)") }
    }

    func run() throws {
        let bench = ShapeBenchmark(points: points, pairs: pairs, reps: reps, emdTolerance: emdTolerance, setClouds: sets,
                                   setPoints: setPoints, setEMD: !noSetEMD, threads: options.workerCount, seed: options.seed)
        let report = bench.run { line in FileHandle.standardError.write(Data("bench shapes: \(line)\n".utf8)) }
        print(json ? try report.json() : report.lines.joined(separator: "\n"))
    }
}
