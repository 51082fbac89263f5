import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// A training run killed with SIGKILL (no chance to save) resumes from its
/// last checkpoint and ends exactly where an uninterrupted run ends.
@Suite(.serialized, .temporaryDirectories) struct KillResumeTests {
    /// The rgdm executable SwiftPM built beside this test bundle.
    private var rgdmExecutable: String? {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: me).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = directory.appendingPathComponent("rgdm").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    private func launch(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killDashNineThenResumeEqualsAnUninterruptedRun() throws {
        let executable = try #require(rgdmExecutable, "the rgdm executable is built with the tests")
        let dir = try TemporaryDirectory.create("kill")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let steps = 1500
        let common = ["train", dataset, "--steps", "\(steps)", "--layers", "1", "--hidden", "4", "--batch", "3",
                      "--timesteps", "20", "--threads", "1", "--seed", "11", "--checkpoint-every", "7", "--log-every", "1"]

        let killed = dir.appendingPathComponent("killed").path
        let victim = try launch(executable, common + ["--output", killed])
        let log = killed + "/log.jsonl"
        let deadline = Date().addingTimeInterval(60)
        // Wait until it has checkpointed and logged a few dozen steps, then kill it hard.
        while Date() < deadline {
            let lines = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= 30 && FileManager.default.fileExists(atPath: killed + "/checkpoint.rgdm") { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(victim.isRunning, "the run must still be going when it is killed (make --steps larger)")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal)
        let saved = try Checkpoint(contentsOf: TrainingRun.checkpointURL(in: URL(fileURLWithPath: killed)))
        #expect(saved.state.step < steps)

        let resumed = try launch(executable, common + ["--output", killed])
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        let straight = dir.appendingPathComponent("straight").path
        let reference = try launch(executable, common + ["--output", straight])
        reference.waitUntilExit()
        #expect(reference.terminationStatus == 0)

        let a = try Checkpoint(contentsOf: TrainingRun.checkpointURL(in: URL(fileURLWithPath: killed)))
        let b = try Checkpoint(contentsOf: TrainingRun.checkpointURL(in: URL(fileURLWithPath: straight)))
        #expect(a.state.step == steps && b.state.step == steps)
        #expect(a.state.parameters == b.state.parameters)
        #expect(a.state.ema?.weights == b.state.ema?.weights)
        #expect(a.state.history.recentLosses == b.state.history.recentLosses)
    }
}
