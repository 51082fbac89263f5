import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// A training run killed with SIGKILL (no chance to save) resumes from its
/// last checkpoint and ends exactly where an uninterrupted run ends.
@Suite(.serialized, .temporaryDirectories) struct KillResumeTests {
    /// Waits until the run in `directory` has logged `steps` steps and holds a checkpoint that
    /// reads back whole, polling for up to `bound` seconds (generous: a loaded machine may take
    /// long to start the run); false at the bound or when `process` ends first.
    private func waitForProgress(in directory: String, steps: Int, of process: Process, bound: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(bound)
        while Date() < deadline && process.isRunning {
            let lines = (try? String(contentsOfFile: directory + "/log.jsonl", encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= steps, (try? RunDirectory(URL(fileURLWithPath: directory)).loadCheckpoint()) != nil {
                return true
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test func killDashNineThenResumeEqualsAnUninterruptedRun() throws {
        let executable = try #require(RGDMExecutable.path, "the rgdm executable is built with the tests")
        let dir = try TemporaryDirectory.create("kill")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let steps = 1500
        let common = ["train", dataset, "--steps", "\(steps)", "--layers", "1", "--hidden", "4", "--batch", "3",
                      "--timesteps", "20", "--threads", "1", "--seed", "11", "--checkpoint-every", "7", "--log-every", "1"]

        let killed = dir.appendingPathComponent("killed").path
        let victim = try RGDMExecutable.launch(executable, common + ["--output", killed])
        // Once it has logged a few dozen steps and saved a whole checkpoint, kill it hard.
        let progressed = waitForProgress(in: killed, steps: 30, of: victim, bound: 120)
        if !progressed, victim.isRunning {
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
        }
        try #require(progressed, "no checkpoint and 30 logged steps within 120 s, or the run ended first")
        #expect(victim.isRunning, "the run must still be going when it is killed (make --steps larger)")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal)
        let saved = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: killed)).checkpointURL)
        #expect(saved.state.step < steps)

        let resumed = try RGDMExecutable.launch(executable, common + ["--output", killed])
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        let straight = dir.appendingPathComponent("straight").path
        let reference = try RGDMExecutable.launch(executable, common + ["--output", straight])
        reference.waitUntilExit()
        #expect(reference.terminationStatus == 0)

        let a = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: killed)).checkpointURL)
        let b = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: straight)).checkpointURL)
        #expect(a.state.step == steps && b.state.step == steps)
        #expect(a.state.parameters == b.state.parameters)
        #expect(a.state.ema?.weights == b.state.ema?.weights)
        #expect(a.state.history.recentLosses == b.state.history.recentLosses)
    }
}
