import Diffusion

/// Times ancestral sampling (EDM's Algorithm 2: T steps of p(z_s | z_t) plus
/// the final p(x | z_0)) of QM9-sized molecules with an EGNN of the given
/// size, as the peers' `edm_torch.py sample` does (untrained weights: the
/// cost does not depend on them).
struct SampleBenchmark {
    struct Configuration: Codable {
        var layers: Int
        var hidden: Int
        var molecules: Int
        var steps: Int
        var threads: Int
        /// Floats of one `[E, H]` buffer per chunk of the batch (`EGNN.chunkFloats`).
        var chunkFloats: Int
        var seed: UInt64
    }

    struct Result: Codable {
        var framework = "rgdm"
        var mode = "sample"
        var configuration: Configuration
        var parameters: Int
        var seconds: Double
        var cpuSeconds: Double
        var msPerStep: Double
        var moleculesPerSecond: Double
        var peakRssBytes: Int
        var nodes: Int
        var centreOfMassMax: Double
    }

    let configuration: Configuration

    func run() throws -> Result {
        let c = configuration
        var generator = Xoshiro256StarStar(seed: c.seed)
        let process = DiffusionProcess(schedule: try PolynomialSchedule(timesteps: c.steps),
                                       scaling: try SyntheticMolecules.scaling())
        let egnn = EGNN(EGNNConfiguration(featureWidth: SyntheticMolecules.featureWidth, layers: c.layers, hidden: c.hidden),
                        threads: c.threads, chunkFloats: c.chunkFloats)
        let parameters = egnn.initialParameters(using: &generator)
        let sizes = SyntheticMolecules.sizes(c.molecules, using: &generator)
        let sampler = AncestralSampler(process: process)
        let cpu = ResourceUsage.cpuSeconds, start = ResourceUsage.now
        let result = sampler.generate(denoiser: egnn, parameters: parameters, nodeCounts: sizes, using: &generator)
        let seconds = ResourceUsage.now - start
        var worst = 0.0
        for g in 0 ..< result.layout.graphCount {
            for a in 0 ..< 3 {
                let sum = result.layout.nodes(ofGraph: g).reduce(0.0) { $0 + Double(result.positions[3 * $1 + a]) }
                worst = max(worst, abs(sum))
            }
        }
        return Result(
            configuration: c, parameters: egnn.parameterCount, seconds: seconds,
            cpuSeconds: ResourceUsage.cpuSeconds - cpu, msPerStep: seconds / Double(c.steps + 1) * 1e3,
            moleculesPerSecond: Double(c.molecules) / seconds, peakRssBytes: ResourceUsage.peakResidentBytes,
            nodes: result.layout.nodeCount, centreOfMassMax: worst)
    }
}

extension SampleBenchmark.Result: BenchmarkReport {
    var lines: [String] {
        let c = configuration
        return [
            "config: \(c.layers) layers, hidden \(c.hidden), \(c.molecules) molecules (\(nodes) atoms), \(c.steps) steps, \(c.threads) thread(s)",
            String(format: "sampling: %.2f s (%.2f CPU s), %.3f ms per step, %.2f molecules/s, peak RSS %.1f MB",
                   seconds, cpuSeconds, msPerStep, moleculesPerSecond, Double(peakRssBytes) / 1e6),
        ]
    }

    func json() throws -> String { try BenchmarkJSON.encode(self, snakeCase: true) }
}
