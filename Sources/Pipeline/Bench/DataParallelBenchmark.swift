import Diffusion
import Foundation

/// Times data-parallel training steps (`Trainer` with a communicator) of the EGNN on
/// synthetic QM9-sized molecules: every rank runs the same steps; the step time is the
/// slowest rank's (the all-reduce waits for it), split into the all-reduce calls and the rest
/// (t, ε, forward, loss, backward, clipping, AdamW, EMA).
struct DataParallelBenchmark {
    struct Configuration: Codable {
        var layers: Int
        var hidden: Int
        /// The global batch, split over the ranks.
        var batch: Int
        var ranks: Int
        var threads: Int
        var bucketFloats: Int
        var steps: Int
        var warmup: Int
        var seed: UInt64
    }

    struct Result: Codable {
        var framework = "rgdm"
        var mode = "train-data-parallel"
        var configuration: Configuration
        var parameters: Int
        var stepSecondsMedian: Double
        var stepSecondsMin: Double
        var moleculesPerSecond: Double
        /// Wall time per step in the gradient's all-reduce (including waiting for the slowest rank), mean.
        var allReduceSecondsPerStep: Double
        /// Bytes each rank sends per step in a ring all-reduce of the gradient: 4 P × 2(N − 1)/N.
        var allReduceBytesPerStep: Double
        var firstLoss: Double
        var lastLoss: Double
        /// Profiled steps, each phase between barriers (so no rank waits for another inside it):
        /// CPU seconds of each rank's forward and backward on its part, median over the steps…
        var partCpuSecondsByRank: [Double]
        /// …and the all-reduce of the gradient alone (the transfer, no waiting), median and
        /// minimum (the least disturbed by other load on the machine).
        var transferSeconds: Double
        var transferSecondsMin: Double
        /// The step on dedicated cores: the slowest rank's part + the transfer (AdamW excluded).
        var projectedStepSeconds: Double
    }

    let configuration: Configuration

    func run(communicator: any Communicator, progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        let c = configuration
        var generator = Xoshiro256StarStar(seed: c.seed)
        let process = DiffusionProcess(schedule: try PolynomialSchedule(timesteps: 1000), scaling: try SyntheticMolecules.scaling())
        let network = EGNN(EGNNConfiguration(featureWidth: SyntheticMolecules.featureWidth, layers: c.layers, hidden: c.hidden),
                           threads: c.threads)
        let data = Pool(molecules: SyntheticMolecules.batch(4 * c.batch, using: &generator))
        let trainer = try Trainer(denoiser: network, process: process,
                                  configuration: TrainerConfiguration(batchSize: c.batch, seed: c.seed), datasetSize: data.count)
        trainer.communicator = communicator
        trainer.bucketSize = c.bucketFloats
        var times: [Double] = [], losses: [Double] = []
        var communication = trainer.communication
        for step in 0 ..< c.warmup + c.steps {
            if step == c.warmup { communication = trainer.communication }
            let start = ResourceUsage.now
            losses.append(try trainer.step(on: data).loss)
            if step >= c.warmup { times.append(ResourceUsage.now - start) }
            progress(step + 1, c.warmup + c.steps)
        }
        let profile = try profile(trainer, data: data, communicator: communicator)
        let timed = Double(max(c.steps, 1))
        return Result(configuration: c, parameters: network.parameterCount, stepSecondsMedian: times.median,
                      stepSecondsMin: times.min() ?? 0, moleculesPerSecond: Double(c.batch) / times.median,
                      allReduceSecondsPerStep: (trainer.communication.seconds - communication.seconds) / timed,
                      allReduceBytesPerStep: (trainer.communication.bytesSent - communication.bytesSent) / timed,
                      firstLoss: losses.first ?? 0, lastLoss: losses.last ?? 0,
                      partCpuSecondsByRank: profile.parts, transferSeconds: profile.transfer,
                      transferSecondsMin: profile.transferMin,
                      projectedStepSeconds: (profile.parts.max() ?? 0) + profile.transfer)
    }

    /// `configuration.steps` steps' phases timed apart between barriers: robust to a machine
    /// whose other load slows one rank (CPU time, not wall time, for the compute).
    private func profile(_ trainer: Trainer, data: Pool,
                         communicator: any Communicator) throws -> (parts: [Double], transfer: Double, transferMin: Double) {
        let batch = try data.batch(at: Array(0 ..< configuration.batch))
        let part = communicator.part(of: batch.layout)
        var generator = Xoshiro256StarStar(seed: configuration.seed &+ 1)
        var gradient = [Float](repeating: 0, count: trainer.model.parameterCount)
        var parts: [Double] = [], transfers: [Double] = []
        for _ in 0 ..< configuration.steps {
            try communicator.barrier()
            let cpu = ResourceUsage.cpuSeconds
            _ = trainer.model.accumulate(parameters: trainer.state.parameters, batch: batch, part: part,
                                         gradient: &gradient, using: &generator)
            parts.append(ResourceUsage.cpuSeconds - cpu)
            try communicator.barrier()
            let start = ResourceUsage.now
            try communicator.allReduceSum(&gradient, bucketSize: configuration.bucketFloats)
            transfers.append(ResourceUsage.now - start)
        }
        var byRank = [Double](repeating: 0, count: communicator.size)
        byRank[communicator.rank] = parts.median
        try communicator.allReduceSum(&byRank)
        return (byRank, communicator.size > 1 ? transfers.median : 0, communicator.size > 1 ? transfers.min() ?? 0 : 0)
    }

    /// The synthetic molecules, served by index.
    struct Pool: GraphDataSource {
        let molecules: GraphBatch
        var count: Int { molecules.layout.graphCount }
        func batch(at indices: [Int]) throws -> GraphBatch { molecules.selecting(graphs: indices) }
    }
}

extension DataParallelBenchmark.Result: BenchmarkReport {
    var lines: [String] {
        let c = configuration
        return [
            "config: \(c.layers) layers, hidden \(c.hidden), global batch \(c.batch), \(c.ranks) rank(s) × \(c.threads) thread(s), \(parameters) parameters",
            String(format: "step: median %.4f s (min %.4f), %.1f molecules/s; loss %.4f → %.4f", stepSecondsMedian, stepSecondsMin,
                   moleculesPerSecond, firstLoss, lastLoss),
            String(format: "all-reduce: %.5f s/step (%.1f%% of the step, waiting for the slowest rank included), %.0f bytes sent per rank per step, buckets of %d floats",
                   allReduceSecondsPerStep, 100 * allReduceSecondsPerStep / max(stepSecondsMedian, 1e-12), allReduceBytesPerStep, c.bucketFloats),
            "profiled: part CPU s by rank " + partCpuSecondsByRank.map { String(format: "%.4f", $0) }.joined(separator: ", ")
                + String(format: "; transfer %.5f s (min %.5f); projected step on dedicated cores %.4f s", transferSeconds,
                         transferSecondsMin, projectedStepSeconds),
        ]
    }

    func json() throws -> String { try BenchmarkJSON.encode(self, snakeCase: true) }
}
