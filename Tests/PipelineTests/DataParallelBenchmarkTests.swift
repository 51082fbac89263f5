import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm bench data-parallel`: its options, and a tiny run on one process.
@Suite struct DataParallelBenchmarkTests {
    @Test func optionsParseAndAreChecked() throws {
        let command = try #require(try RGDMCommand.parseAsRoot(
            ["bench", "data-parallel", "--layers", "2", "--hidden", "16", "--batch", "8", "--bucket-floats", "100"])
            as? BenchDataParallelCommand)
        #expect(command.layers == 2 && command.hidden == 16 && command.batch == 8 && command.bucketFloats == 100)
        expectParseError(RGDMCommand.self, ["bench", "data-parallel", "--batch", "0"],
                         "--layers, --hidden, --batch and --bucket-floats must be at least 1")
        expectParseError(RGDMCommand.self, ["bench", "data-parallel", "--steps", "0"], "--steps must be ≥ 1 and --warmup ≥ 0")
    }

    /// One rank: no all-reduce, no bytes, one part holding the whole batch's CPU time; the
    /// losses are a trainer's on the synthetic molecules (finite, and they move).
    @Test func aTinyRunOnOneProcess() throws {
        let bench = DataParallelBenchmark(configuration: .init(
            layers: 1, hidden: 8, batch: 6, ranks: 1, threads: 1, bucketFloats: 64, steps: 3, warmup: 1, seed: 2))
        let result = try bench.run(communicator: SingleProcess())
        #expect(result.parameters > 0 && result.stepSecondsMedian > 0)
        #expect(result.allReduceBytesPerStep == 0 && result.transferSeconds == 0)
        #expect(result.partCpuSecondsByRank.count == 1 && result.projectedStepSeconds == result.partCpuSecondsByRank[0])
        #expect(result.firstLoss.isFinite && result.lastLoss.isFinite && result.firstLoss != result.lastLoss)
        #expect(result.lines.count == 4)
    }
}
