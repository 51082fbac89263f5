import ArgumentParser
import Diffusion
import Foundation
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm finetune` on a latent point model of shapes: the prior fine-tuned on its own pools,
/// the decoder frozen, best shapes and report written, resumed exactly.
@Suite(.serialized, .temporaryDirectories) struct ShapeFineTuneCommandTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// A tiny latent point model of circles (16 points, the set `circles.h5` beside it) and a
    /// folder beside it; its prior learns posterior means with `priorTarget` "mean".
    private func tinyModel(priorTarget: String = "sample") throws -> (directory: URL, checkpoint: String) {
        let dir = try TemporaryDirectory.create("shape-finetune")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset, points: 16)
        try rgdm(["train", dataset, "--steps", "2", "--output", dir.path + "/base", "--architecture", "latent-points",
                  "--latent-width", "4", "--encoder-widths", "8,8", "--decoder-widths", "8,8", "--prior-widths", "8",
                  "--decoder-points", "6", "--batch", "2", "--timesteps", "10", "--seed", "3", "--threads", "1",
                  "--prior-target", priorTarget])
        return (dir, dir.path + "/base/checkpoint.rgdm")
    }

    /// rgdm-step: 4 steps of 3 data latents (--data, the circles) with 2 draws each, an evaluation pool every 2 steps.
    private static func arguments(_ checkpoint: String, _ out: String, method: String = "rgdm") -> [String] {
        let common = ["finetune", "--model", checkpoint, "--output", out, "--method", method, "--reward", "symmetry(x)",
                      "--rounds", "2", "--pool", "5", "--steps-per-round", "2", "--batch", "3", "--pool-batch", "2",
                      "--steps", "4", "--threads", "1", "--seed", "2", "--learning-rate", "0.01"]
        guard method == "rgdm-step" else { return common }
        let data = URL(fileURLWithPath: checkpoint).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("circles.h5").path
        return common + ["--data", data, "--training-steps", "4", "--evaluate-every", "2", "--explorations", "2"]
    }

    private func report(_ out: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any])
    }

    @Test(arguments: ["rgdm", "raft", "ddpo"])
    func sampleLevelRunsTrainThePriorAloneAndWriteTheBestShapes(_ method: String) throws {
        let (dir, checkpoint) = try tinyModel()
        let out = dir.path + "/\(method)"
        try rgdm(Self.arguments(checkpoint, out, method: method))
        let base = try TrainedModel(path: checkpoint, threads: 1)
        let saved = try Checkpoint(contentsOf: URL(fileURLWithPath: out + "/checkpoint.rgdm"))
        #expect(saved.state.step == 4 && saved.runState != nil)
        let model = try #require(base.model as? LatentPointModel)
        for weights in [saved.state.parameters, saved.state.ema?.weights ?? []] {
            #expect(Array(weights[model.encoderRange]) == Array(base.parameters[model.encoderRange]), "the encoder is frozen")
            #expect(Array(weights[model.decoderRange]) == Array(base.parameters[model.decoderRange]), "the decoder is frozen")
            #expect(Array(weights[model.priorRange]) != Array(base.parameters[model.priorRange]), "the prior is trained")
        }
        let card = try ModelCard(checkpoint: saved, path: out)
        #expect(card.domain == .shapes && card.nodeCounts == base.card.nodeCounts, "still a model of 16-point shapes")
        let report = try report(out)
        #expect(report["kind"] as? String == "finetune" && report["reward_evaluations"] as? Int == 10)
        let rounds = try #require(report["rounds"] as? [[String: Any]])
        #expect(rounds.count == 2 && rounds.allSatisfy { $0["reward_mean"] != nil && $0["distance_to_base"] != nil })
        var generator = Xoshiro256StarStar(seed: 0)
        let clouds = try ShapeFile.readClouds(out + "/best.h5", using: &generator).clouds
        #expect(clouds.count == 10 && clouds.allSatisfy { $0.count == 16 })
        let rows = try String(contentsOfFile: out + "/best.tsv", encoding: .utf8).split(separator: "\n").dropFirst()
        let rewards = rows.compactMap { Double($0.split(separator: "\t")[1]) }
        #expect(rewards.count == 10 && rewards == rewards.sorted(by: >) && rewards.allSatisfy { $0 <= 0 })
        // The first cloud's reward is the one its file holds: −CD to its mirror image.
        let again = SymmetryReward(axis: .x).score([clouds[0]])
        #expect(abs(((try? again[0].get()) ?? .nan) - rewards[0]) < 1e-4 * max(1, abs(rewards[0])))
    }

    /// Stopped after three steps (inside the second round) and run again, the run ends where a
    /// straight one does: the same weights, the same rounds (DDPO: 5 chains in minibatches of 3,
    /// two steps a round, as RGDM's --steps-per-round 2).
    @Test(arguments: ["rgdm", "ddpo", "rgdm-step"])
    func anInterruptedRunResumesExactly(_ method: String) throws {
        let (dir, checkpoint) = try tinyModel(priorTarget: method == "rgdm-step" ? "mean" : "sample")
        try rgdm(Self.arguments(checkpoint, dir.path + "/straight", method: method))
        let stopped = dir.path + "/stopped"
        guard let command = try RGDMCommand.parseAsRoot(Self.arguments(checkpoint, stopped, method: method)) as? FineTuneCommand else {
            Issue.record("finetune parses to FineTuneCommand")
            return
        }
        var job = try ShapeFineTuneJob(command: command, base: TrainedModel(path: checkpoint, threads: 1))
        var asked = 0
        job.shouldStop = { asked += 1; return asked > 3 }
        _ = try job.run()
        #expect(try Checkpoint(contentsOf: URL(fileURLWithPath: stopped + "/checkpoint.rgdm")).state.step == 3)
        try rgdm(Self.arguments(checkpoint, stopped, method: method))
        let a = try Checkpoint(contentsOf: URL(fileURLWithPath: dir.path + "/straight/checkpoint.rgdm"))
        let b = try Checkpoint(contentsOf: URL(fileURLWithPath: stopped + "/checkpoint.rgdm"))
        #expect(a.state.step == 4 && b.state.step == 4)
        #expect(a.state.parameters == b.state.parameters)
        func rewards(_ out: String) throws -> [Double] {
            try (report(out)["rounds"] as? [[String: Any]] ?? []).compactMap { $0["reward_mean"] as? Double }
        }
        #expect(try rewards(dir.path + "/straight") == rewards(stopped) && rewards(stopped).count == 2)
    }

    /// Best-of-N draws from the base model, and `rgdm compare` reads shape runs as molecule ones.
    @Test func bestOfNComparesWithAFineTuningRun() throws {
        let (dir, checkpoint) = try tinyModel()
        try rgdm(Self.arguments(checkpoint, dir.path + "/bon", method: "best-of-n"))
        try rgdm(Self.arguments(checkpoint, dir.path + "/rgdm"))
        #expect(try report(dir.path + "/bon")["reward_evaluations"] as? Int == 10)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/bon/checkpoint.rgdm"), "best-of-N never trains")
        try rgdm(["compare", dir.path + "/bon", dir.path + "/rgdm", "--output", dir.path + "/compare"])
        #expect(FileManager.default.fileExists(atPath: dir.path + "/compare.json"))
    }

    @Test func aMoleculeRewardIsRefusedForShapes() throws {
        let (dir, checkpoint) = try tinyModel()
        #expect(throws: PipelineError.invalidReward(specification: "qed", reason: "qed scores molecules, not shapes")) {
            try rgdm(Self.arguments(checkpoint, dir.path + "/qed").map { $0 == "symmetry(x)" ? "qed" : $0 })
        }
    }
}

extension ShapeFineTuneCommandTests {
    /// `rgdm sample --reward … --explore K` on a latent point model: the prior's chain guided,
    /// candidates decoded for the reward, the kept latents decoded into the samples.
    @Test func rewardGuidedSamplingOfAShapeModelWritesTheShapes() throws {
        let (dir, checkpoint) = try tinyModel()
        let out = dir.path + "/guided.h5"
        try rgdm(["sample", "--model", checkpoint, "--count", "3", "--batch", "2", "--reward", "symmetry(x)", "--explore", "3",
                  "--guided-levels", "3", "--seed", "4", "--threads", "1", "--output", out])
        var generator = Xoshiro256StarStar(seed: 0)
        let clouds = try ShapeFile.readClouds(out, using: &generator).clouds
        #expect(clouds.count == 3 && clouds.allSatisfy { $0.count == 16 && $0.firstNonFiniteIndex == nil })
    }
}

extension ShapeFineTuneCommandTests {
    /// With a class reward each round's summary holds the share of the pool the reward's
    /// classifier assigns to the class: the share its argmax gives on the pool's clouds.
    @Test func aClassRewardsRoundsReportTheClassShare() throws {
        let (dir, checkpoint) = try tinyModel()
        let classifierPath = dir.path + "/cls.rgdm"
        _ = try ShapeModelTests.classifier(at: classifierPath, steps: 3)
        let out = dir.path + "/class"
        try rgdm(Self.arguments(checkpoint, out, method: "best-of-n").map { $0 == "symmetry(x)" ? "class(mug, \(classifierPath))" : $0 })
        let rounds = try #require(try report(out)["rounds"] as? [[String: Any]])
        let shares = rounds.compactMap { $0["class_share"] as? Double }
        #expect(shares.count == 2)
        let table = try FineTuneComparison(runs: [out]).markdown()
        #expect(table.contains("| class share |"), "rgdm compare shows the class share")
        // A shape run's table has the shape columns, not the molecule ones.
        #expect(table.contains("| distance to base |") && !table.contains("validity") && !table.contains("novelty"))
        // best.h5 holds every shape of both pools (10 ≤ the 32 kept); their mean share is the rounds' mean.
        var generator = Xoshiro256StarStar(seed: 0)
        let clouds = try ShapeFile.readClouds(out + "/best.h5", using: &generator).clouds
        let classifier = try ShapeModel.open(classifierPath)
        let mug = try #require(classifier.card.categories?.firstIndex(of: "mug"))
        let rows = try classifier.logProbabilities(clouds)
        let hits = rows.filter { row in row.indices.max { row[$0] < row[$1] } == mug }.count
        #expect(clouds.count == 10 && abs(Double(hits) / 10 - (shares[0] + shares[1]) / 2) < 1e-9)
    }
}

extension ShapeFineTuneCommandTests {
    /// Step-level RGDM on a shape model: the data states are the circles' latents, the draws
    /// decoded and scored as clouds (the budget: steps × batch × draws), the prior alone trained;
    /// evaluation pools every 2 steps are the report's rounds and best shapes.
    @Test(arguments: ["denoised", "noisy"])
    func stepLevelRGDMTrainsThePriorOnTheDataLatents(_ scoreOn: String) throws {
        let (dir, checkpoint) = try tinyModel(priorTarget: "mean")
        let out = dir.path + "/step"
        try rgdm(Self.arguments(checkpoint, out, method: "rgdm-step") + ["--score-on", scoreOn])
        let base = try TrainedModel(path: checkpoint, threads: 1)
        let model = try #require(base.model as? LatentPointModel)
        let saved = try Checkpoint(contentsOf: URL(fileURLWithPath: out + "/checkpoint.rgdm"))
        #expect(saved.state.step == 4)
        for weights in [saved.state.parameters, saved.state.ema?.weights ?? []] {
            #expect(Array(weights[model.encoderRange]) == Array(base.parameters[model.encoderRange]), "the encoder is frozen")
            #expect(Array(weights[model.decoderRange]) == Array(base.parameters[model.decoderRange]), "the decoder is frozen")
            #expect(Array(weights[model.priorRange]) != Array(base.parameters[model.priorRange]), "the prior is trained")
        }
        let report = try report(out)
        #expect(report["reward_evaluations"] as? Int == 4 * 3 * 2, "the evaluation pools are not part of the budget")
        let rounds = try #require(report["rounds"] as? [[String: Any]])
        #expect(rounds.count == 2 && rounds.allSatisfy { $0["samples"] as? Double == 5 && $0["reward_mean"] != nil })
        // Each round against the budget spent by then (`rgdm compare`'s axis): 2 steps × 3 latents × 2 draws a round.
        #expect(rounds.compactMap { $0["reward_evaluations"] as? Double } == [12, 24])
        var generator = Xoshiro256StarStar(seed: 0)
        let clouds = try ShapeFile.readClouds(out + "/best.h5", using: &generator).clouds
        #expect(clouds.count == 10 && clouds.allSatisfy { $0.count == 16 && $0.firstNonFiniteIndex == nil })
    }

    /// What a shape model's rgdm-step refuses, by name: a prior of posterior samples (no one latent
    /// per shape), a molecule set or a missing file as --data, no --data; and --data for the
    /// sample-level methods, which train on their own pools.
    @Test func stepLevelRGDMsBadInputIsRefusedByName() throws {
        let (dir, checkpoint) = try tinyModel(priorTarget: "mean")
        let arguments = Self.arguments(checkpoint, dir.path + "/step", method: "rgdm-step")
        func replacingData(with path: String) -> [String] {
            arguments.enumerated().map { $0.offset > 0 && arguments[$0.offset - 1] == "--data" ? path : $0.element }
        }
        let molecules = dir.path + "/molecules.h5"
        try TrainingFixtures.writeMoleculeSet(to: molecules)
        #expect(throws: PipelineError.invalidDataset(path: molecules, reason: "an rgdm molecule set; a shape model's rgdm-step needs a shape set in the ShapeNet layout")) {
            try rgdm(replacingData(with: molecules))
        }
        #expect(throws: PipelineError.invalidDataset(path: dir.path + "/none.h5", reason: "no such file")) {
            try rgdm(replacingData(with: dir.path + "/none.h5"))
        }
        expectParseError(RGDMCommand.self, Array(arguments.prefix(while: { $0 != "--data" })), "--method rgdm-step trains on data states: give --data")
        #expect {
            try rgdm(Self.arguments(checkpoint, dir.path + "/rgdm") + ["--data", dir.path + "/circles.h5"])
        } throws: { error in
            (error as? ValidationError)?.message == "--data is for molecule models and a shape model's rgdm-step: its prior is fine-tuned on its own pools"
        }
        let (other, samples) = try tinyModel(priorTarget: "sample")
        #expect {
            try rgdm(Self.arguments(samples, other.path + "/step", method: "rgdm-step"))
        } throws: { error in
            guard case let PipelineError.invalidModel(path, reason) = error else { return false }
            return path == samples && reason.contains("prior target sample") && reason.contains("--prior-target mean")
        }
    }
}
