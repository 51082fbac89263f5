import Diffusion

/// Times EDM's ancestral sampling (p(z_s | z_t) on `steps` strided steps of T = 1000,
/// then the final p(x | z_0): steps + 1 network calls) of QM9-sized molecules with an
/// EGNN of the given size, as the PyTorch peer's `edm_torch.py sample` does
/// (untrained weights: the cost does not depend on them).
struct SampleBenchmark {
    struct Configuration: Codable {
        var layers: Int
        var hidden: Int
        var molecules: Int
        /// Strided steps of the T = 1000 chain (1000: EDM's whole chain).
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
        /// Network calls of the chain: steps + 1, each on the whole batch.
        var networkCalls: Int
        var msPerStep: Double
        var callsPerSecond: Double
        /// Molecules through the network per second: molecules × calls / seconds.
        var moleculeCallsPerSecond: Double
        var moleculesPerSecond: Double
        var peakRssBytes: Int
        var nodes: Int
        var centreOfMassMax: Double
        /// The PyTorch peer's run on the same model size, molecules and calls (nil when not run).
        var peer: SamplePeer.Result?
        /// Why the peer did not run, when it did not.
        var peerSkipped: String?
    }

    /// T of the chain the steps stride, the peers' table.
    static let timesteps = 1000

    let configuration: Configuration

    func run() throws -> Result {
        let c = configuration
        var generator = Xoshiro256StarStar(seed: c.seed)
        let process = DiffusionProcess(schedule: try PolynomialSchedule(timesteps: Self.timesteps),
                                       scaling: try SyntheticMolecules.scaling())
        let egnn = EGNN(EGNNConfiguration(featureWidth: SyntheticMolecules.featureWidth, layers: c.layers, hidden: c.hidden),
                        threads: c.threads, chunkFloats: c.chunkFloats)
        let parameters = egnn.initialParameters(using: &generator)
        let sizes = SyntheticMolecules.sizes(c.molecules, using: &generator)
        let sampler = try AncestralSampler(process: process, steps: c.steps)
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
        let calls = sampler.timesteps.count
        return Result(
            configuration: c, parameters: egnn.parameterCount, seconds: seconds,
            cpuSeconds: ResourceUsage.cpuSeconds - cpu, networkCalls: calls, msPerStep: seconds / Double(calls) * 1e3,
            callsPerSecond: Double(calls) / seconds, moleculeCallsPerSecond: Double(c.molecules * calls) / seconds,
            moleculesPerSecond: Double(c.molecules) / seconds, peakRssBytes: ResourceUsage.peakResidentBytes,
            nodes: result.layout.nodeCount, centreOfMassMax: worst)
    }
}

extension SampleBenchmark.Result: BenchmarkReport {
    var lines: [String] {
        let c = configuration
        var lines = [
            "config: \(c.layers) layers, hidden \(c.hidden), \(c.molecules) molecules (\(nodes) atoms), \(c.steps) steps (\(networkCalls) network calls), \(c.threads) thread(s)",
            String(format: "rgdm:    %.2f s (%.2f CPU s), %.1f network calls/s (%.0f molecules through the network/s), %.3f molecules/s, peak RSS %.1f MB",
                   seconds, cpuSeconds, callsPerSecond, moleculeCallsPerSecond, moleculesPerSecond, Double(peakRssBytes) / 1e6),
        ]
        if let peer {
            lines.append(String(format: "PyTorch: %.2f s (%.2f CPU s), %.1f network calls/s (%.0f molecules through the network/s), %.3f molecules/s, peak RSS %.1f MB (torch %@)",
                                peer.seconds, peer.cpuSeconds, peer.callsPerSecond, peer.moleculeCallsPerSecond,
                                peer.moleculesPerSecond, Double(peer.peakRssBytes) / 1e6, peer.version))
            lines.append(String(format: "rgdm/PyTorch: %.2f× the calls per second (wall), %.2f× per CPU second; other load during the peer %.2f",
                                callsPerSecond / peer.callsPerSecond,
                                (Double(networkCalls) / cpuSeconds) / (Double(peer.networkCalls) / peer.cpuSeconds),
                                peer.otherLoad ?? .nan))
        } else if let peerSkipped {
            lines.append("PyTorch: not run (\(peerSkipped))")
        }
        return lines
    }

    func json() throws -> String { try BenchmarkJSON.encode(self, snakeCase: true) }
}
