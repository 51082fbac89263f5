import Chem
import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite(.serialized, .temporaryDirectories) struct FineTuneCommandTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// A tiny molecule model, its dataset and a run folder beside them.
    private func tinyModel() throws -> (directory: URL, dataset: String, checkpoint: String) {
        let dir = try TemporaryDirectory.create("finetune")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        try rgdm(["train", dataset, "--output", dir.path + "/base", "--steps", "3", "--layers", "1", "--hidden", "8",
                  "--batch", "3", "--timesteps", "20", "--threads", "1"])
        return (dir, dataset, dir.path + "/base/checkpoint.rgdm")
    }

    private static let common = ["--pool", "6", "--steps-per-round", "2", "--batch", "3", "--steps", "5",
                                 "--threads", "1", "--seed", "2"]

    @Test(arguments: ["rgdm", "raft", "ddpo"])
    func sampleLevelRunsWriteRoundsBestMoleculesAndTheirRewards(_ method: String) throws {
        let (dir, dataset, checkpoint) = try tinyModel()
        let out = dir.path + "/\(method)"
        try rgdm(["finetune", "--model", checkpoint, "--output", out, "--method", method, "--reward", "atom-stability",
                  "--rounds", "2", "--data", dataset, "--data-batch", "2", "--reference", dataset] + Self.common)
        let saved = try Checkpoint(contentsOf: URL(fileURLWithPath: out + "/checkpoint.rgdm"))
        #expect(saved.state.step == 4)
        #expect(try ModelCard(checkpoint: saved, path: out).initializedFrom == "\(checkpoint) (step 3): network")
        #expect(saved.runState != nil, "the method's state is saved for an exact resume")
        // DDPO's policy is its chain: the fine-tuned model samples with it unless told otherwise.
        let card = try ModelCard(checkpoint: saved, path: out)
        #expect(card.policyChain == (method == "ddpo" ? PolicyChain(method: "ddpo", steps: 5) : nil))
        if method == "ddpo" {
            func sampler(_ extra: [String]) throws -> [String: Any] {
                let file = dir.path + "/policy-\(extra.count).sdf"
                try rgdm(["sample", "--model", out + "/checkpoint.rgdm", "--count", "2", "--output", file, "--threads", "1"] + extra)
                let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/policy-\(extra.count).report.json")))
                return try #require((report as? [String: Any])?["sampling"] as? [String: Any])
            }
            let own = try sampler([])
            #expect(own["sampler"] as? String == "ancestral" && own["steps"] as? Int == 5 && own["corrector"] is NSNull)
            #expect(try sampler(["--sampler", "ddim"])["sampler"] as? String == "ddim", "sampler options override the policy chain")
        }
        let rounds = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("\"event\":\"round\"") }
        #expect(rounds.count == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any])
        #expect(report["reward_evaluations"] as? Int == 12, "two pools of 6 molecules scored")
        #expect((report["rounds"] as? [[String: Any]])?.count == 2)
        let best = try MoleculeReader(contentsOf: out + "/best.sdf").readAll()
        #expect(!best.isEmpty && best.count <= 12)
        let rewards = best.compactMap { $0.properties.first { $0.name == "reward" }.flatMap { Double($0.value) } }
        #expect(rewards.count == best.count && rewards == rewards.sorted(by: >) && rewards.allSatisfy { (0 ... 1).contains($0) })
        // Run again as it was: the run is complete and resumes to nothing more, with its ledger intact.
        try rgdm(["finetune", "--model", checkpoint, "--output", out, "--method", method, "--reward", "atom-stability",
                  "--rounds", "2", "--data", dataset, "--data-batch", "2", "--reference", dataset] + Self.common)
        let again = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any])
        #expect(again["reward_evaluations"] as? Int == 12)
        #expect(try Checkpoint(contentsOf: URL(fileURLWithPath: out + "/checkpoint.rgdm")).state.parameters == saved.state.parameters)
    }

    /// Best-of-N never trains: its rounds are pools of the base model; a rerun with more rounds
    /// continues where the last one stopped (the same figures as a straight run), and
    /// `rgdm compare` sets it beside a fine-tuning run of the same reward.
    @Test func bestOfNResumesByRoundAndComparesWithAFineTuningRun() throws {
        let (dir, dataset, checkpoint) = try tinyModel()
        func run(_ out: String, rounds: Int, method: String = "best-of-n") throws {
            try rgdm(["finetune", "--model", checkpoint, "--output", out, "--method", method, "--reward", "atom-stability",
                      "--rounds", "\(rounds)", "--reference", dataset] + Self.common)
        }
        func rounds(_ out: String) throws -> [[String: Any]] {
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any]
            return try #require(report?["rounds"] as? [[String: Any]])
        }
        let straight = dir.path + "/straight", resumed = dir.path + "/resumed"
        try run(straight, rounds: 3)
        try run(resumed, rounds: 2)
        try run(resumed, rounds: 3)
        let a = try rounds(straight), b = try rounds(resumed)
        #expect(a.count == 3 && b.count == 3)
        #expect(a.map { $0["reward_mean"] as? Double } == b.map { $0["reward_mean"] as? Double })
        #expect(b.map { $0["reward_evaluations"] as? Double } == [6, 12, 18])
        #expect(b.allSatisfy { $0["found_distinct"] != nil }, "each round counts the distinct molecules found")
        #expect(b.allSatisfy { round in ["atom_stability", "molecule_stability"].allSatisfy { ((round[$0] as? Double) ?? -1) >= 0 && ((round[$0] as? Double) ?? 2) <= 1 } },
                "each round has EDM's stability of its pool")
        #expect(!FileManager.default.fileExists(atPath: resumed + "/checkpoint.rgdm"), "best-of-N trains nothing")

        let tuned = dir.path + "/rgdm"
        try run(tuned, rounds: 2, method: "rgdm")
        // The settings come from the run's first record, without its paths.
        try RunRecord(command: "finetune", arguments: ["rgdm", "finetune", "--model", checkpoint, "--method", "rgdm",
                                                       "--reference", dataset, "--temperature", "0.1"])
            .write(into: URL(fileURLWithPath: tuned), name: "run-0.json")
        let base = dir.path + "/comparison"
        try rgdm(["compare", straight, tuned, "--output", base])
        let html = try String(contentsOfFile: base + ".html", encoding: .utf8)
        #expect(html.contains("straight") && html.contains("<svg"))
        let comparison = try FineTuneComparison(runs: [straight, tuned])
        #expect(comparison.entries.map(\.method) == ["best-of-n", "rgdm"])
        #expect(comparison.entries[1].settings == ["--method", "rgdm", "--temperature", "0.1"])
        #expect(comparison.markdown().split(separator: "\n").count == 2 + 2 + 2, "heading, rule, two runs, two settings")
        #expect(comparison.markdown().contains("| validity |") && !comparison.markdown().contains("distance to base"),
                "molecule runs: the molecule columns, not the shape ones")

        // Runs of different rewards, or a folder that is no run, are refused by name.
        let other = dir.path + "/validity"
        try rgdm(["finetune", "--model", checkpoint, "--output", other, "--method", "best-of-n", "--reward", "validity",
                  "--rounds", "1"] + Self.common)
        #expect { try FineTuneComparison(runs: [straight, other]) } throws: { error in
            guard case let PipelineError.invalidRun(_, reason) = error else { return false }
            return reason.contains("different rewards")
        }
        #expect { try FineTuneComparison(runs: [dir.path]) } throws: { error in
            guard case let PipelineError.invalidRun(path, _) = error else { return false }
            return path.hasSuffix("report.json")
        }
    }

    @Test func stepLevelRunsTrainOnDataAndEvaluatePools() throws {
        let (dir, dataset, checkpoint) = try tinyModel()
        let out = dir.path + "/step"
        try rgdm(["finetune", "--model", checkpoint, "--output", out, "--method", "rgdm-step", "--reward", "validity",
                  "--data", dataset, "--training-steps", "4", "--evaluate-every", "2", "--explorations", "3"] + Self.common)
        let log = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8)
        let rounds = try log.split(separator: "\n").filter { $0.contains("\"event\":\"round\"") }
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(rounds.count == 2)
        #expect(try Checkpoint(contentsOf: URL(fileURLWithPath: out + "/checkpoint.rgdm")).state.step == 4)
        // The rounds report the budget the training draws spent, not the free evaluation pools.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any])
        let spent = try #require(report["reward_evaluations"] as? Int)
        #expect(spent > 0 && (rounds.last?["reward_evaluations"] as? Double) == Double(spent))
    }

    /// `--relax-pool`: the pools train on relaxed molecules, and each round says how far they moved.
    @Test func relaxedPoolsReportTheirDisplacementEachRound() throws {
        let (dir, dataset, checkpoint) = try tinyModel()
        let out = dir.path + "/relaxed"
        try rgdm(["finetune", "--model", checkpoint, "--output", out, "--reward", "atom-stability", "--rounds", "2",
                  "--relax-pool", "20", "--data", dataset, "--data-batch", "2"] + Self.common)
        let rounds = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("\"event\":\"round\"") }
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(rounds.count == 2)
        for round in rounds {
            let failures = try #require(round["relax_failures"] as? Double)
            #expect(failures >= 0 && failures <= 6)
            if failures < 6 { #expect((round["relaxed_rmsd"] as? Double).map { $0 >= 0 } == true) }
        }
    }

    /// A run that diverges (DDPO at an absurd learning rate: the second step's importance ratios
    /// overflow) stops with the reason and keeps what it had: the rounds, the best molecules, and
    /// the checkpoint of its first round (one a round at least).
    @Test func aDivergedRunStopsWithTheReasonAndKeepsItsRounds() throws {
        let (dir, _, checkpoint) = try tinyModel()
        let out = dir.path + "/diverged"
        #expect {
            try rgdm(["finetune", "--model", checkpoint, "--output", out, "--method", "ddpo", "--reward", "qed",
                      "--rounds", "3", "--pool", "6", "--batch", "6", "--steps", "5", "--learning-rate", "1e4",
                      "--threads", "1", "--seed", "2"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("non-finite loss") && text.contains("lower --learning-rate or --ppo-clip")
                && text.contains("checkpoint.rgdm holds step 1") && text.contains(out)
        }
        let saved = try Checkpoint(contentsOf: URL(fileURLWithPath: out + "/checkpoint.rgdm"))
        #expect(saved.state.step == 1 && saved.runState != nil)
        let log = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8)
        #expect(log.components(separatedBy: "\"event\":\"round\"").count - 1 == 2, "rounds 1 and 2 were drawn and scored")
        #expect(FileManager.default.fileExists(atPath: out + "/report.html") && FileManager.default.fileExists(atPath: out + "/best.sdf"))
    }

    @Test func rewardGuidedSamplingWritesTheMolecules() throws {
        let (dir, _, checkpoint) = try tinyModel()
        let out = dir.path + "/guided.sdf"
        try rgdm(["sample", "--model", checkpoint, "--count", "3", "--output", out, "--reward", "atom-stability",
                  "--explore", "3", "--guided-levels", "5", "--threads", "1", "--seed", "4"])
        #expect(try MoleculeReader(contentsOf: out).readAll().count == 3)
        expectParseError(SampleCommand.self, ["--model", "m", "--output", "o.sdf", "--reward", "qed", "--steps", "10"],
                         "--reward guides EDM's full ancestral chain: leave out --reconstruct, --sampler, --steps and --corrector-steps")
    }

    @Test func badOptionsAreRefusedWithTheirReason() throws {
        for (arguments, message) in [
            (["--temperature", "0"], "--temperature must be > 0"),
            (["--method", "rgdm-step"], "--method rgdm-step trains on data states: give --data"),
            (["--data-weight", "1"], "--data-weight needs --data"),
            (["--keep-fraction", "1.5"], "--keep-fraction must lie in (0, 1]"),
            (["--relax-pool", "0"], "--relax-pool takes at least 1 conjugate-gradient step (got 0)"),
            (["--relax-pool", "50", "--method", "ddpo"], "--relax-pool relaxes the pools of --method rgdm and raft, not ddpo"),
            (["--method", "ddpo", "--sampler", "sde-dpm-solver++"],
             "--method ddpo's policy is EDM's plain ancestral chain on --steps strided steps: leave out --sampler, --grid, --order, --eta and --corrector-steps"),
        ] {
            expectParseError(FineTuneCommand.self, ["--model", "m.rgdm", "--output", "o", "--reward", "qed"] + arguments, message)
        }
        expectParseError(FineTuneCommand.self, ["--model", "m.rgdm", "--output", "o"], "give the reward to steer toward: --reward SPEC")
        expectParseError(FineTuneCommand.self, ["--model", "m.rgdm", "--output", "o", "--reward", "qedd"], "qedd")
    }
}
