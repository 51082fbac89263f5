import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// A fine-tuning round's time split into sampling, scoring and training: the clock's
/// bookkeeping on a clock that is told the time, and the keys in the log and report of each method.
@Suite(.serialized, .temporaryDirectories) struct FineTuneTimingTests {
    /// A clock whose time is whatever the test sets.
    private final class Time {
        var now = 0.0
    }

    @Test func stepsCountAsTrainingLessThePoolPhasesInsideThem() {
        let time = Time()
        let clock = RoundClock { time.now }
        // Step 1 draws (3 s, measured by the drawing itself) and scores (2 s) a pool, then trains 4 s.
        var lap: [String: Double] = [:]
        clock.step {
            clock.measure(.sampling) { time.now += 3 }
            clock.measure(.scoring) { time.now += 2 }
            lap = clock.lap()          // the round line, before the steps on its pool
            time.now += 4
        }
        #expect(lap == ["sampling_seconds": 3, "scoring_seconds": 2, "training_seconds": 0])
        // Step 2: DDPO's way, the drawing found from the step's start when the reward is asked for.
        clock.step {
            time.now += 5
            clock.samplingEndsNow()
            clock.measure(.scoring) { time.now += 1 }
            lap = clock.lap()
            time.now += 6
        }
        #expect(lap == ["sampling_seconds": 5, "scoring_seconds": 1, "training_seconds": 4])
        // Scoring inside a step (step-level RGDM's draws) stays part of training.
        clock.step { clock.measure(.stepScoring) { time.now += 2 }; time.now += 1 }
        #expect(clock.lap() == ["sampling_seconds": 0, "scoring_seconds": 0, "training_seconds": 9, "step_scoring_seconds": 2])
        #expect(clock.totals == ["sampling_seconds": 8, "scoring_seconds": 3, "training_seconds": 13, "step_scoring_seconds": 2])
        clock.samplingEndsNow()   // outside a step: nothing
        #expect(clock.lap() == ["sampling_seconds": 0, "scoring_seconds": 0, "training_seconds": 0])
        let line = RoundClock.line(clock.totals, step: 7, seconds: 30)
        #expect(line["event"] as? String == "timing" && line["step"] as? Int == 7 && line["training_seconds"] as? Double == 13)
    }

    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    private func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test(arguments: ["rgdm", "raft", "ddpo", "best-of-n", "rgdm-step"])
    func everyRoundLineSplitsItsTime(_ method: String) throws {
        let dir = try TemporaryDirectory.create("timing")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        try rgdm(["train", dataset, "--output", dir.path + "/base", "--steps", "3", "--layers", "1", "--hidden", "8",
                  "--batch", "3", "--timesteps", "20", "--threads", "1"])
        let out = dir.path + "/" + method
        let stepLevel = method == "rgdm-step"
        try rgdm(["finetune", "--model", dir.path + "/base/checkpoint.rgdm", "--output", out, "--method", method,
                  "--reward", "atom-stability", "--rounds", "2", "--pool", "6", "--steps-per-round", "2", "--batch", "3",
                  "--steps", "5", "--threads", "1", "--seed", "2"]
                 + (stepLevel ? ["--data", dataset, "--training-steps", "4", "--evaluate-every", "2", "--explorations", "2"] : []))
        let log = try lines(out + "/log.jsonl")
        let rounds = log.filter { $0["event"] as? String == "round" }
        #expect(rounds.count == 2)
        let keys = ["sampling_seconds", "scoring_seconds", "training_seconds"] + (stepLevel ? ["step_scoring_seconds"] : [])
        for round in rounds {
            for key in keys { #expect((round[key] as? Double).map { $0 >= 0 } == true, "\(key) in \(round)") }
            #expect(round["reward_mean"] != nil, "the summary's own keys stay")
        }
        #expect((rounds[0]["sampling_seconds"] as? Double ?? 0) > 0, "the first pool was drawn")
        switch method {
        case "best-of-n": #expect(rounds.allSatisfy { $0["training_seconds"] as? Double == 0 }, "best-of-N never trains")
        case "rgdm-step": #expect(rounds.allSatisfy { ($0["training_seconds"] as? Double ?? 0) > 0 }, "two steps before each evaluation")
        default:
            #expect(rounds[0]["training_seconds"] as? Double == 0, "no steps before the first pool")
            #expect((rounds[1]["training_seconds"] as? Double ?? 0) > 0, "the steps on the first pool")
        }
        let timing = try #require(log.last)
        #expect(timing["event"] as? String == "timing")
        #expect(keys.allSatisfy { timing[$0] is Double } && timing["seconds"] is Double)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any])
        #expect((report["rounds"] as? [[String: Any]])?.allSatisfy { $0["training_seconds"] != nil } == true)
        #expect((report["seconds_by_phase"] as? [String: Any])?["sampling_seconds"] != nil)
    }
}
