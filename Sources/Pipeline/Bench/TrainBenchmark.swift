import Diffusion
import Foundation

/// Times training steps of the real model on QM9-sized molecules, the way the
/// peers' `edm_torch.py train` does: a pool of 4 batches used in turn; each
/// step samples t and ε, runs forward, the EDM ε-loss and backward, then AdamW
/// (EDM's settings: lr 1e-4, amsgrad, weight decay 1e-12).
struct TrainBenchmark {
    struct Configuration: Codable {
        var layers: Int
        var hidden: Int
        var batch: Int
        var threads: Int
        /// Floats of one `[E, H]` buffer per chunk of the batch (`EGNN.chunkFloats`).
        var chunkFloats: Int
        var steps: Int
        var warmup: Int
        var seed: UInt64
        /// Also run a few steps (same thread count) with every matrix product timed.
        var profileProducts: Bool
    }

    struct Result: Codable {
        var framework = "rgdm"
        var mode = "train"
        var configuration: Configuration
        var parameters: Int
        var moleculesPerSecond: Double
        var stepSecondsMedian: Double
        var stepSecondsMin: Double
        var stepSecondsMean: Double
        /// Process CPU time (all threads) per step, median: robust to other load on the machine.
        var cpuSecondsMedian: Double
        var peakRssBytes: Int
        var workspaceBytes: Int
        var nodesPerBatch: Double
        var edgesPerBatch: Double
        var firstLoss: Double
        var lastLoss: Double
        /// OpenBLAS's kernel family (BLAS.coreName) and OPENBLAS_CORETYPE if the environment sets it.
        var blasCore = BLAS.coreName
        var blasCoreFromEnvironment = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        /// Share of the machine's CPU used by other processes during the timed steps (as the peers report it).
        var otherProcsCpuFrac: Double?
        /// This machine's single-thread sgemm rate on a 1024×1024×1024 product, GFLOP/s.
        var sgemmGflopsPerSecond: Double?
        /// The same, per thread, with one such product on every worker thread at once.
        var sgemmGflopsPerSecondAllThreadsBusy: Double?
        /// Profiled steps at `threads` workers, every product timed: thread-seconds
        /// in products per step, their work, and their rate per thread.
        var profiledThreads: Int?
        var profiledStepSeconds: Double?
        var gemmSecondsPerStep: Double?
        var gemmGflopsPerStep: Double?
        var gemmGflopsPerSecondInStep: Double?
        /// In-step rate per thread over the single-thread sgemm rate (the target: ≥ 0.6).
        var gemmRateFractionOfSgemm: Double?
        /// In-step rate per thread over the all-threads-busy sgemm rate.
        var gemmRateFractionOfBusySgemm: Double?
        /// Thread-seconds in products over thread-seconds of the step.
        var gemmShareOfStep: Double?
    }

    let configuration: Configuration

    func run(progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        // The timed model is gone before the profiled one exists, so peak RSS is the training run's.
        let (timed, process, model, parameters, batch) = try timeSteps(progress: progress)
        var result = timed
        if configuration.profileProducts {
            try profile(into: &result, process: process, model: model, parameters: parameters, batch: batch)
        }
        return result
    }

    private func timeSteps(
        progress: (Int, Int) -> Void
    ) throws -> (Result, DiffusionProcess, EGNNConfiguration, [Float], GraphBatch) {
        let c = configuration
        var generator = Xoshiro256StarStar(seed: c.seed)
        let scaling = try SyntheticMolecules.scaling()
        let process = DiffusionProcess(schedule: try PolynomialSchedule(timesteps: 1000), scaling: scaling)
        let model = EGNNConfiguration(featureWidth: SyntheticMolecules.featureWidth, layers: c.layers, hidden: c.hidden)
        let egnn = EGNN(model, threads: c.threads, chunkFloats: c.chunkFloats)
        var parameters = egnn.initialParameters(using: &generator)
        let pool = (0 ..< 4).map { _ in SyntheticMolecules.batch(c.batch, using: &generator) }
        let adam = AdamWConfiguration()
        var state = AdamWState(parameterCount: egnn.parameterCount, amsgrad: adam.amsgrad)
        var gradient = [Float](repeating: 0, count: egnn.parameterCount)
        var buffers = GradientStep.Buffers()
        var times: [Double] = [], cpuTimes: [Double] = [], losses: [Double] = []
        var load = OtherLoad()
        for step in 0 ..< c.warmup + c.steps {
            if step == c.warmup { load = OtherLoad() }
            let start = ResourceUsage.now, cpuStart = ResourceUsage.cpuSeconds
            for k in gradient.indices { gradient[k] = 0 }
            let loss = GradientStep.accumulate(
                denoiser: egnn, process: process, parameters: parameters, batch: pool[step % pool.count],
                gradient: &gradient, buffers: &buffers, using: &generator)
            AdamW.update(&parameters, gradient: gradient, state: &state, configuration: adam)
            let elapsed = ResourceUsage.now - start, cpu = ResourceUsage.cpuSeconds - cpuStart
            losses.append(loss)
            if step >= c.warmup {
                times.append(elapsed)
                cpuTimes.append(cpu)
            }
            progress(step + 1, c.warmup + c.steps)
        }
        let otherLoad = load.fraction
        let median = times.median
        let nodes = pool.map { Double($0.layout.nodeCount) }.reduce(0, +) / Double(pool.count)
        let edges = pool.map { Double(Connectivity.fullyConnected.edgeCount($0.layout)) }.reduce(0, +) / Double(pool.count)
        let result = Result(
            configuration: c, parameters: egnn.parameterCount,
            moleculesPerSecond: Double(c.batch) / median, stepSecondsMedian: median,
            stepSecondsMin: times.min() ?? 0, stepSecondsMean: times.reduce(0, +) / Double(max(times.count, 1)),
            cpuSecondsMedian: cpuTimes.median, peakRssBytes: ResourceUsage.peakResidentBytes, workspaceBytes: egnn.workspaceBytes,
            nodesPerBatch: nodes, edgesPerBatch: edges, firstLoss: losses.first ?? 0, lastLoss: losses.last ?? 0,
            otherProcsCpuFrac: otherLoad)
        return (result, process, model, parameters, pool[0])
    }

    /// A few steps at the run's thread count with every product timed, against
    /// the machine's sgemm rate (one thread alone, and every worker thread busy).
    private func profile(into result: inout Result, process: DiffusionProcess, model: EGNNConfiguration,
                         parameters: [Float], batch: GraphBatch) throws {
        let threads = configuration.threads, steps = 3
        let rate = BLAS.measureRate(m: 1024, n: 1024, k: 1024)
        let busyRate = threads > 1 ? BLAS.measureRate(m: 1024, n: 1024, k: 1024, concurrent: threads) : rate
        let egnn = EGNN(model, threads: threads, chunkFloats: configuration.chunkFloats)
        var generator = Xoshiro256StarStar(seed: configuration.seed &+ 1)
        var gradient = [Float](repeating: 0, count: egnn.parameterCount)
        var buffers = GradientStep.Buffers()
        _ = GradientStep.accumulate(denoiser: egnn, process: process, parameters: parameters, batch: batch,
                                    gradient: &gradient, buffers: &buffers, using: &generator)   // warm the workspaces
        let profile = GEMMProfile()
        let start = ResourceUsage.now
        profile.record {
            for _ in 0 ..< steps {
                _ = GradientStep.accumulate(denoiser: egnn, process: process, parameters: parameters, batch: batch,
                                            gradient: &gradient, buffers: &buffers, using: &generator)
            }
        }
        let step = (ResourceUsage.now - start) / Double(steps)
        let inStep = profile.gigaflopsPerSecond
        result.sgemmGflopsPerSecond = rate
        result.sgemmGflopsPerSecondAllThreadsBusy = busyRate
        result.profiledThreads = threads
        result.profiledStepSeconds = step
        result.gemmSecondsPerStep = profile.seconds / Double(steps)
        result.gemmGflopsPerStep = Double(profile.flops) * 1e-9 / Double(steps)
        result.gemmGflopsPerSecondInStep = inStep
        result.gemmRateFractionOfSgemm = inStep / rate
        result.gemmRateFractionOfBusySgemm = inStep / busyRate
        result.gemmShareOfStep = profile.seconds / Double(steps) / (step * Double(min(threads, batch.layout.graphCount)))
    }
}

extension TrainBenchmark.Result: BenchmarkReport {
    var lines: [String] {
        let c = configuration
        var lines = [
            "config: \(c.layers) layers, hidden \(c.hidden), batch \(c.batch), \(c.threads) thread(s), \(parameters) parameters",
            String(format: "step: median %.4f s (min %.4f), %.1f molecules/s, %.3f CPU s/step (median)", stepSecondsMedian,
                   stepSecondsMin, moleculesPerSecond, cpuSecondsMedian),
        ]
        if let other = otherProcsCpuFrac { lines.append(String(format: "other processes used %.0f%% of the machine's CPU meanwhile", 100 * other)) }
        lines.append(String(format: "batch: %.0f nodes, %.0f edges; peak RSS %.1f MB; loss %.4f → %.4f", nodesPerBatch,
                            edgesPerBatch, Double(peakRssBytes) / 1e6, firstLoss, lastLoss))
        lines.append("OpenBLAS kernels: \(blasCore)" + (blasCoreFromEnvironment.map { " (OPENBLAS_CORETYPE=\($0) in the environment)" } ?? ""))
        if let rate = sgemmGflopsPerSecond, let busy = sgemmGflopsPerSecondAllThreadsBusy,
           let inStep = gemmGflopsPerSecondInStep, let share = gemmShareOfStep, let threads = profiledThreads {
            lines.append(String(format: "sgemm (1024³): %.1f GFLOP/s on 1 thread alone, %.1f per thread with %d busy", rate, busy, threads))
            lines.append(String(format: "in-step products: %.1f GFLOP/s per thread at %d thread(s) = %.0f%% of 1-thread sgemm (%.0f%% of busy); %.0f%% of the step's thread time",
                                inStep, threads, 100 * inStep / rate, 100 * inStep / busy, 100 * share))
        }
        return lines
    }

    func json() throws -> String { try BenchmarkJSON.encode(self, snakeCase: true) }
}
