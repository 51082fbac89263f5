import Foundation
import Testing
@testable import Pipeline

/// The bench services on tiny sizes: the rows and JSON `rgdm bench` prints come from them.
@Suite struct BenchmarkReportTests {
    private func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func sampleBenchmarkReturnsItsRows() throws {
        let bench = SampleBenchmark(configuration: .init(layers: 1, hidden: 8, molecules: 2, steps: 3, threads: 1,
                                                         chunkFloats: 1 << 16, seed: 1))
        var report = try bench.run()
        #expect(report.networkCalls == 4)
        #expect(report.lines.count == 2)
        #expect(report.lines[0] == "config: 1 layers, hidden 8, 2 molecules (\(report.nodes) atoms), 3 steps (4 network calls), 1 thread(s)")
        #expect(report.lines[1].hasPrefix("rgdm: ") && report.lines[1].contains("network calls/s"))
        report.peerSkipped = "--no-peer"
        #expect(report.lines.count == 3 && report.lines[2] == "PyTorch: not run (--no-peer)")
        report.peer = SamplePeer.Result(version: "2.x", seconds: 2, cpuSeconds: 4, networkCalls: 4, callsPerSecond: 2,
                                        moleculeCallsPerSecond: 4, moleculesPerSecond: 1, peakRssBytes: 1_000_000, otherLoad: 0.01)
        #expect(report.lines.count == 4 && report.lines[2].hasPrefix("PyTorch: 2.00 s (4.00 CPU s), 2.0 network calls/s"))
        #expect(report.lines[3].hasPrefix(String(format: "rgdm/PyTorch: %.2f×", report.callsPerSecond / 2)))
        let json = try object(report.json())
        #expect(json["framework"] as? String == "rgdm" && json["mode"] as? String == "sample")
        #expect((json["configuration"] as? [String: Any])?["chunk_floats"] as? Int == 1 << 16, "keys in snake case")
        #expect(json["nodes"] as? Int == report.nodes)
    }

    @Test func shapeBenchmarkReturnsItsRow() throws {
        var logged: [String] = []
        let report = ShapeBenchmark(points: 32, pairs: 2, reps: 1, emdReps: 1, setClouds: 3, setPoints: 16, setEMD: false, threads: 1)
            .run { logged.append($0) }
        #expect(logged.count == 3, "chamfer, emd and the Chamfer set timing; no EMD set")
        #expect(report.lines.count == 1)
        #expect(report.lines[0].hasPrefix("chamfer ") && report.lines[0].contains("set (3×3, 16 points, 1 workers)")
                && report.lines[0].hasSuffix("EMD skipped s"))
        let json = try object(report.json())
        #expect(json["set_clouds"] as? Int == 3 && json["n"] as? Int == 32 && json["set_emd_s"] == nil)
    }

    @Test func conformerReportComparesWithObabel() throws {
        let configuration = ConformerBenchmark.Configuration(smilesFile: "a.smi", limit: 3, maxSteps: 50, seed: 0, workers: 2,
                                                             obabelTimeout: 60)
        let outcomes = [
            ConformerBenchmark.Outcome(index: 0, ok: true, energy: 1, converged: true, steps: 10, forceField: .mmff94, milliseconds: 20, error: ""),
            ConformerBenchmark.Outcome(index: 1, ok: true, energy: 9, converged: false, steps: 50, forceField: .mmff94, milliseconds: 40, error: ""),
            ConformerBenchmark.Outcome(index: 2, ok: false, energy: .nan, converged: false, steps: 0, forceField: .mmff94, milliseconds: 1, error: "bad"),
        ]
        let obabel = ConformerBenchmark.ObabelOutcome(seconds: 6, energies: [0: 2, 1: 5], timeouts: 1)
        let report = ConformerBenchmark.Report(smiles: ["C", "CC", "C("], outcomes: outcomes, seconds: 2,
                                               configuration: configuration, obabel: obabel)
        #expect(report.figures["throughput_ratio_vs_obabel"] as? Double == 3)
        #expect(report.figures["rgdm_ok"] as? Int == 2 && report.figures["rgdm_converged"] as? Int == 1)
        #expect(report.figures["energy_pairs"] as? Int == 2 && report.figures["rgdm_lower_or_equal_fraction"] as? Double == 0.5)
        #expect(report.figures["obabel_timeouts"] as? Int == 1 && report.figures["obabel_timeout_seconds"] as? Double == 60)
        #expect(report.lines.contains("throughput_ratio_vs_obabel         3.0"))
        #expect(report.lines.suffix(2) == ["worst: #1 rgdm 9.0 obabel 5.0 kcal/mol  CC", "worst: #0 rgdm 1.0 obabel 2.0 kcal/mol  C"])
        let json = try object(report.json())
        #expect(json["workers"] as? Int == 2 && (json["worst_rgdm_minus_obabel"] as? [Any])?.count == 2)
        let table = report.energyTable.split(separator: "\n")
        #expect(table.count == 4 && table[2] == "1\tCC\t9.0\t5.0\t0\t50\t40\t" && table[3] == "2\tC(\t\t\t0\t0\t1\tbad")

        var alone = configuration
        alone.obabelTimeout = nil
        let withoutObabel = ConformerBenchmark.Report(smiles: ["C", "CC", "C("], outcomes: outcomes, seconds: 2,
                                                      configuration: alone, obabel: nil)
        #expect(withoutObabel.figures.keys.sorted() == ["max_steps", "molecules", "rgdm_converged", "rgdm_cpu_ms_per_molecule",
                                                         "rgdm_ms_per_molecule", "rgdm_ok", "rgdm_seconds", "rgdm_uff_fallback", "workers"])
    }
}
