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

    @Test func stepLevelRunsTrainOnDataAndEvaluatePools() throws {
        let (dir, dataset, checkpoint) = try tinyModel()
        let out = dir.path + "/step"
        try rgdm(["finetune", "--model", checkpoint, "--output", out, "--method", "rgdm-step", "--reward", "validity",
                  "--data", dataset, "--training-steps", "4", "--evaluate-every", "2", "--explorations", "3"] + Self.common)
        let log = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8)
        #expect(log.split(separator: "\n").filter { $0.contains("\"event\":\"round\"") }.count == 2)
        #expect(try Checkpoint(contentsOf: URL(fileURLWithPath: out + "/checkpoint.rgdm")).state.step == 4)
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
            (["--method", "ddpo", "--sampler", "sde-dpm-solver++"],
             "--method ddpo's policy is EDM's plain ancestral chain on --steps strided steps: leave out --sampler, --grid, --order, --eta and --corrector-steps"),
        ] {
            expectParseError(FineTuneCommand.self, ["--model", "m.rgdm", "--output", "o", "--reward", "qed"] + arguments, message)
        }
        expectParseError(FineTuneCommand.self, ["--model", "m.rgdm", "--output", "o"], "give the reward to steer toward: --reward SPEC")
        expectParseError(FineTuneCommand.self, ["--model", "m.rgdm", "--output", "o", "--reward", "qedd"], "qedd")
    }
}
