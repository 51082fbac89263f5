import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm bench finetune` on tiny sizes: its figures and JSON keys, the peer's absence, the
/// peer's reward and molecule sizes. Nothing here depends on how fast anything ran.
@Suite(.serialized, .temporaryDirectories) struct FineTuneBenchmarkTests {
    private static let tiny = ["bench", "finetune", "--layers", "1", "--hidden", "8", "--molecules", "4", "--steps", "3",
                               "--rounds", "2", "--train-batch", "2", "--threads", "1"]

    private func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func theCommandPrintsPositiveFiguresAndItsJSONKeys() throws {
        let executable = try #require(RGDMExecutable.path, "the rgdm executable is built with the tests")
        let run = try RGDMExecutable.run(executable, Self.tiny + ["--no-peer", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try object(run.stdout)
        #expect(json["framework"] as? String == "rgdm" && json["mode"] as? String == "finetune")
        #expect(json["peer_skipped"] as? String == "--no-peer" && json["peer"] == nil && json["speedup"] == nil)
        let ddpo = try #require(json["ddpo"] as? [String: Any])
        for key in ["seconds", "sampling_seconds", "training_seconds", "molecules_per_second", "transitions_per_second"] {
            #expect((ddpo[key] as? Double ?? 0) > 0, "ddpo \(key)")
        }
        #expect((ddpo["scoring_seconds"] as? Double).map { $0 >= 0 } == true)
        #expect(ddpo["optimizer_steps"] as? Int == 4, "2 rounds of 4 chains, 2 a step")
        #expect((ddpo["reward_means"] as? [Double])?.count == 2)
        let throughput = try #require(json["throughput"] as? [String: Any])
        for key in ["sampling_seconds", "samples_per_second", "scoring_seconds", "evaluations_per_second", "cores_busy"] {
            #expect((throughput[key] as? Double ?? 0) > 0, "throughput \(key)")
        }
        #expect(throughput["reward"] as? String == "qed" && throughput["evaluations"] as? Int == 4)
        #expect(throughput["workers"] as? Int == 1 && (throughput["sampler"] as? String)?.hasPrefix("sde-dpm-solver++") == true)
    }

    @Test func aMissingPeerIsNamedAndTheRestStillRuns() throws {
        let executable = try #require(RGDMExecutable.path, "the rgdm executable is built with the tests")
        let python = try TemporaryDirectory.create("no-peer").appendingPathComponent("python").path
        let run = try RGDMExecutable.run(executable, Self.tiny + ["--rounds", "1", "--peer-python", python])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("PyTorch: not run (no Python at \(python); set up with shared/bench/peers/setup.sh)"))
        #expect(lines.contains { $0.hasPrefix("reward qed: 4 evaluations") })
        let script = PeerScript(python: "/bin/sh", script: "/nonexistent/ddpo_torch.py")
        #expect(script.unavailable == "no peer script at /nonexistent/ddpo_torch.py")
    }

    @Test func thePeerSideBySideWithItsSpeedup() {
        let c = DDPOBenchmark.Configuration(layers: 4, hidden: 64, molecules: 64, steps: 50, rounds: 2, ppoPasses: 1,
                                            trainBatch: 32, clip: 1e-4, threads: 2, seed: 0)
        let ddpo = DDPOBenchmark.Result(configuration: c, parameters: 100, seconds: 10, cpuSeconds: 19, samplingSeconds: 4,
                                        scoringSeconds: 0.01, trainingSeconds: 5.99, optimizerSteps: 4, moleculesPerSecond: 12.8,
                                        transitionsPerSecond: 1280, rewardMeans: [-2, -1], otherLoad: 0)
        let peer = DDPOPeer.Result(version: "2.x", seconds: 30, processCpuSeconds: 70, samplingSeconds: 8, scoringSeconds: 0.001,
                                   trainingSeconds: 21.99, moleculesPerSecond: 128.0 / 30, transitionsPerSecond: 12800.0 / 30,
                                   peakRssBytes: 1_000_000, otherLoad: 0.1)
        let report = FineTuneBenchmark(ddpo: ddpo, peer: peer)
        let speedup = try? #require(report.speedup)
        #expect(speedup?.seconds == 3 && speedup?.samplingSeconds == 2)
        #expect(abs((speedup?.moleculesPerSecond ?? 0) - 3) < 1e-12 && abs((speedup?.transitionsPerSecond ?? 0) - 3) < 1e-12)
        #expect(report.lines.contains("seconds             10.00     30.00     3.00×"))
        #expect(report.lines.contains("sampling s           4.00      8.00     2.00×"))
        #expect(report.lines.contains("CPU s               19.00     70.00     3.68×"))
    }

    @Test func badOptionsAreRefusedWithTheirReason() {
        expectParseError(BenchFineTuneCommand.self, ["--molecules", "1"], "--molecules must be at least 2: DDPO normalises rewards over a round")
        expectParseError(BenchFineTuneCommand.self, ["--steps", "1001"], "--steps must be in 1 … 1000 (got 1001)")
        expectParseError(BenchFineTuneCommand.self, ["--pool", "0"], "--pool must be at least 1 (got 0)")
        expectParseError(BenchFineTuneCommand.self, ["--ppo-passes", "0"],
                         "--layers, --hidden, --rounds, --ppo-passes and --train-batch must be at least 1")
    }

    /// The peer's reward: −mean ‖x‖² over each molecule's atoms.
    @Test func compactnessIsTheNegativeMeanSquaredRadius() {
        let samples = SampleResult(layout: GraphLayout(nodeCounts: [2, 1]),
                                   positions: [1, 0, 0, -1, 0, 0, 0, 2, 2], features: [Float](repeating: 0, count: 3 * 6))
        #expect(DDPOBenchmark.compactness(samples) == [-1, -8])
    }

    /// round(N(18, 3)) clipped to 9 … 29, as the peers draw sizes.
    @Test func freshModelsDrawThePeersMoleculeSizes() throws {
        let sizes = try SyntheticMolecules.nodeCounts()
        #expect(sizes.counts == Array(9 ... 29))
        let mean = zip(sizes.counts, sizes.probabilities).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        expectClose([mean, sizes.probabilities.reduce(0, +)], [18, 1], tolerance: 2e-3)
        let card = try SyntheticMolecules.card(layers: 2, hidden: 16)
        #expect(card.atomicNumbers == [1, 6, 7, 8, 9] && card.includesAtomicNumber && card.timesteps == 1000)
    }
}
