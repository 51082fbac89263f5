import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite(.serialized, .temporaryDirectories) struct TrainCommandTests {
    private func train(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(["train"] + arguments)
        try command.run()
    }

    @Test func trainsAMoleculeModelAndResumesExactly() throws {
        let dir = try TemporaryDirectory.create("train")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let common = ["--layers", "2", "--hidden", "8", "--batch", "3", "--timesteps", "50", "--threads", "1", "--seed", "5"]

        let straight = dir.appendingPathComponent("straight").path
        try train([dataset, "--output", straight, "--steps", "4"] + common)
        let split = dir.appendingPathComponent("split").path
        try train([dataset, "--output", split, "--steps", "2"] + common)
        try train([dataset, "--output", split, "--steps", "4"] + common)

        let a = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: straight)).checkpointURL)
        let b = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: split)).checkpointURL)
        #expect(a.state.step == 4 && b.state.step == 4)
        #expect(a.state.parameters == b.state.parameters, "resumed run must continue exactly")
        #expect(a.state.history.recentLosses == b.state.history.recentLosses)

        let card = try ModelCard(checkpoint: a, path: straight)
        #expect(card.domain == .molecules)
        #expect(card.atomicNumbers == [1, 6, 7, 8, 9])
        #expect(card.egnn?.featureWidth == 6)
        #expect(card.egnn?.globalPooling == GlobalPooling.none, "molecules default to EDM's model")
        #expect(card.nodeCounts.counts == [2, 3, 4, 5])

        let log = try String(contentsOfFile: straight + "/log.jsonl", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 4 / 10 + 1)  // logged at the last step
        #expect(FileManager.default.fileExists(atPath: straight + "/run-0.json"))

        let html = try String(contentsOfFile: straight + "/report.html", encoding: .utf8)
        #expect(html.contains("<polyline") && html.contains("training loss"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: straight + "/report.json"))) as? [String: Any]
        #expect(report?["steps"] as? Int == 4)
        #expect((report?["loss_curve"] as? [[Double]])?.last?.first == 4)
    }

    @Test func refusesToResumeADifferentModel() throws {
        let dir = try TemporaryDirectory.create("train-mismatch")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let out = dir.appendingPathComponent("run").path
        try train([dataset, "--output", out, "--steps", "1", "--layers", "1", "--hidden", "4", "--timesteps", "20"])
        #expect { try train([dataset, "--output", out, "--steps", "2", "--layers", "2", "--hidden", "4", "--timesteps", "20"]) } throws: { error in
            String(describing: error).contains("different model")
        }
    }

    @Test func trainsAShapeModel() throws {
        let dir = try TemporaryDirectory.create("train-shapes")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset)
        let out = dir.appendingPathComponent("run").path
        try train([dataset, "--output", out, "--steps", "2", "--layers", "1", "--hidden", "8", "--batch", "2",
                   "--neighbours", "4", "--timesteps", "20", "--architecture", "egnn"])
        let checkpoint = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: out)).checkpointURL)
        let card = try ModelCard(checkpoint: checkpoint, path: out)
        #expect(card.domain == .shapes)
        #expect(card.egnn?.symmetry == .translation)
        #expect(card.egnn?.globalPooling == .mean, "shapes default to global mean pooling")
        #expect(checkpoint.state.step == 2)
        #expect(checkpoint.state.history.recentLosses.allSatisfy { $0.isFinite })
        #expect(card.architecture == .egnn)

        // Without --architecture a shape set trains latent point diffusion.
        let latent = dir.appendingPathComponent("latent").path
        try train([dataset, "--output", latent, "--steps", "1", "--batch", "2", "--timesteps", "20", "--latent-width", "4",
                   "--encoder-widths", "8", "--decoder-widths", "8", "--prior-widths", "8"])
        let latentCard = try ModelCard(checkpoint: Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: latent)).checkpointURL),
                                       path: latent)
        #expect(latentCard.architecture == .latentPoints)
    }

    @Test func initializeFromCarriesOverTheSharedNetworksIntoANewRun() throws {
        let dir = try TemporaryDirectory.create("train-initialize")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset)
        let source = dir.appendingPathComponent("source").path, target = dir.appendingPathComponent("target").path
        let small = ["--batch", "2", "--timesteps", "20", "--latent-width", "4", "--encoder-widths", "8", "--decoder-widths", "8",
                     "--threads", "1"]
        try train([dataset, "--output", source, "--steps", "3", "--prior-widths", "8"] + small)
        let sourceModel = try TrainedModel(path: RunDirectory(URL(fileURLWithPath: source)).checkpointURL.path, threads: 1)

        // A wider prior under the trained encoder and decoder, trained on posterior means alone.
        try train([dataset, "--output", target, "--steps", "2", "--prior-widths", "16,16", "--phase", "prior",
                   "--prior-target", "mean", "--initialize-from", sourceModel.source, "--seed", "7"] + small)
        let targetURL = RunDirectory(URL(fileURLWithPath: target)).checkpointURL
        let checkpoint = try Checkpoint(contentsOf: targetURL)
        let card = try ModelCard(checkpoint: checkpoint, path: target)
        #expect(card.initializedFrom == "\(sourceModel.source) (step 3): encoder, decoder")
        #expect(card.latentPoints?.target == .mean && card.latentPoints?.priorWidths == [16, 16])
        let model = try #require(try card.makeModel(threads: 1) as? LatentPointModel)
        let old = try #require(sourceModel.model as? LatentPointModel)
        // The prior phase leaves the encoder and decoder as they came (from the source's EMA weights).
        for part in [LatentPointPart.encoder, .decoder] {
            #expect(Array(checkpoint.state.parameters[model.range(of: part)]) == Array(sourceModel.parameters[old.range(of: part)]))
        }
        #expect(checkpoint.state.step == 2)
        let log = try String(contentsOfFile: target + "/log.jsonl", encoding: .utf8)
        #expect(log.contains("\"event\":\"initialized from\"") && log.contains("\"parts\":[\"encoder\",\"decoder\"]"))

        // Resuming needs no --initialize-from, and refuses it.
        #expect { try train([dataset, "--output", target, "--steps", "3", "--initialize-from", sourceModel.source] + small) } throws: { error in
            String(describing: error).contains("already holds a checkpoint")
        }
        // A model with nothing in common is refused.
        #expect { try train([dataset, "--output", dir.appendingPathComponent("other").path, "--steps", "1", "--latent-width", "5",
                             "--initialize-from", sourceModel.source, "--batch", "2", "--timesteps", "20", "--threads", "1"]) } throws: { error in
            String(describing: error).contains("none of its networks matches")
        }
    }

    @Test func initializeFromStartsAnEGNNFromATrainedOneOfTheSameConfiguration() throws {
        let dir = try TemporaryDirectory.create("train-initialize-egnn")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let common = [dataset, "--layers", "1", "--hidden", "4", "--batch", "3", "--timesteps", "20", "--threads", "1"]
        try train(common + ["--output", dir.path + "/source", "--steps", "2"])
        let source = try TrainedModel(path: dir.path + "/source/checkpoint.rgdm", threads: 1)
        // Before its first step the new run holds exactly the source's EMA weights, and a fresh AdamW.
        let run = try TrainingRun(directory: RunDirectory(dir.appendingPathComponent("target")), card: source.card,
                                  configuration: TrainerConfiguration(batchSize: 3, seed: 5),
                                  datasetSize: TrainingData.open(dataset, split: "train").source.count, threads: 1,
                                  initializeFrom: source.source)
        #expect(run.trainer.state.parameters == source.parameters && run.trainer.state.ema?.weights == source.parameters)
        #expect(run.step == 0 && run.trainer.state.optimizer.m.allSatisfy { $0 == 0 })
        #expect(run.card.initializedFrom == "\(source.source) (step 2): network")
        // A narrower one is refused.
        #expect { try train(common.map { $0 == "4" ? "3" : $0 } + ["--output", dir.path + "/narrower", "--steps", "1",
                                                                     "--initialize-from", source.source]) } throws: { error in
            String(describing: error).contains("none of its networks matches")
        }
    }

    @Test func initializeFromGrowsAnEGNNIntoAWiderDeeperOneThatStartsAsIt() throws {
        let dir = try TemporaryDirectory.create("train-initialize-grow")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let common = [dataset, "--batch", "3", "--timesteps", "20", "--threads", "1"]
        try train(common + ["--layers", "1", "--hidden", "4", "--output", dir.path + "/source", "--steps", "2"])
        let source = try TrainedModel(path: dir.path + "/source/checkpoint.rgdm", threads: 1)
        var card = source.card, wider = try #require(card.egnn)
        wider.layers = 2
        wider.hidden = 6
        card.network = AnyModelConfiguration(wider)
        let run = try TrainingRun(directory: RunDirectory(dir.appendingPathComponent("target")), card: card,
                                  configuration: TrainerConfiguration(batchSize: 3, seed: 5),
                                  datasetSize: TrainingData.open(dataset, split: "train").source.count, threads: 1,
                                  initializeFrom: source.source)
        #expect(run.card.initializedFrom == "\(source.source) (step 2): network, grown from 1 × 4")
        #expect(run.trainer.state.ema?.weights == run.trainer.state.parameters)
        // The grown network predicts what the source does.
        let batch = try TrainingData.open(dataset, split: "train").source.batch(at: [0, 1, 2])
        let input = DenoiserInput(layout: batch.layout, positions: batch.positions.map { $0 * 0.7 },
                                  features: batch.features, time: [0.1, 0.5, 0.9], condition: [])
        var a = DenoiserOutput(positions: [], features: []), b = a
        EGNN(try #require(source.card.egnn)).predict(input, parameters: source.parameters, into: &a)
        EGNN(wider).predict(input, parameters: run.trainer.state.parameters, into: &b)
        expectClose(b.positions + b.features, a.positions + a.features, tolerance: 1e-5, relative: 1e-5, "grown against source predictions")
        #expect(a.features.contains { $0 != 0 })
        // From the command line, and the grown run trains.
        try train(common + ["--layers", "2", "--hidden", "6", "--output", dir.path + "/cli", "--steps", "2",
                            "--initialize-from", source.source])
        let checkpoint = try Checkpoint(contentsOf: RunDirectory(dir.appendingPathComponent("cli")).checkpointURL)
        #expect(checkpoint.state.step == 2)
        #expect(try ModelCard(checkpoint: checkpoint, path: "cli").initializedFrom?.hasSuffix("grown from 1 × 4") == true)
    }

    @Test func poolingOptionOverridesTheDefaultAndResumingKeepsTheRunsChoice() throws {
        let dir = try TemporaryDirectory.create("train-pooling")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset)
        let out = dir.appendingPathComponent("run").path
        let common = ["--output", out, "--layers", "1", "--hidden", "8", "--batch", "2", "--neighbours", "4", "--timesteps", "20",
                      "--architecture", "egnn"]
        func card() throws -> (ModelCard, Int) {
            let checkpoint = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: out)).checkpointURL)
            return (try ModelCard(checkpoint: checkpoint, path: out), checkpoint.state.step)
        }
        try train([dataset, "--steps", "1", "--pooling", "none"] + common)
        #expect(try card().0.egnn?.globalPooling == GlobalPooling.none)
        // The same command without --pooling resumes the run as it was started.
        try train([dataset, "--steps", "2"] + common)
        let (resumed, step) = try card()
        #expect(resumed.egnn?.globalPooling == GlobalPooling.none && step == 2)
        #expect { try train([dataset, "--steps", "3", "--pooling", "mean"] + common) } throws: { error in
            String(describing: error).contains("different model") && String(describing: error).contains("global pooling none")
        }
    }

    @Test func resumingWithANewLearningRateAndEMAAppliesThemAndLogsIt() throws {
        let dir = try TemporaryDirectory.create("train-changes")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let out = dir.appendingPathComponent("run").path
        let common = [dataset, "--output", out, "--layers", "1", "--hidden", "4", "--batch", "3", "--timesteps", "20", "--threads", "1"]
        func saved() throws -> Checkpoint { try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: out)).checkpointURL) }
        try train(common + ["--steps", "1", "--learning-rate", "3e-4"])
        // Rerunning the command as it was keeps every setting.
        try train(common + ["--steps", "2", "--learning-rate", "3e-4"])
        #expect(try saved().trainer.optimizer.learningRate == 3e-4)
        try train([dataset, "--output", out, "--layers", "1", "--hidden", "4", "--timesteps", "20", "--steps", "3"])
        #expect(try saved().trainer.optimizer.learningRate == 3e-4, "a resumed run keeps its own unless given")

        try train(common + ["--steps", "4", "--learning-rate", "1e-4", "--ema-decay", "0.9999"])
        let checkpoint = try saved()
        #expect(checkpoint.state.step == 4)
        #expect(checkpoint.trainer.optimizer.learningRate == 1e-4 && checkpoint.trainer.emaDecay == 0.9999)
        #expect(checkpoint.state.ema?.decay == 0.9999)
        let log = try String(contentsOfFile: out + "/log.jsonl", encoding: .utf8)
        #expect(log.contains("settings changed on resume") && log.contains("0.0003 → 0.0001"))

        #expect { try train(common + ["--steps", "5", "--batch", "2"]) } throws: { error in
            String(describing: error).contains("batches of 3, not 2")
        }
    }

    @Test func aDivergedRunStopsWithTheReasonAndKeepsItsLastFiniteCheckpoint() throws {
        let dir = try TemporaryDirectory.create("train-diverged")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let out = dir.appendingPathComponent("run").path
        // Adam moves every weight by about the learning rate a step: 1e30 overflows Float within a few steps.
        let arguments = [dataset, "--output", out, "--layers", "1", "--hidden", "4", "--batch", "3", "--timesteps", "20", "--threads", "1",
                         "--learning-rate", "1e30", "--no-clipping", "--steps", "50", "--checkpoint-every", "1"]
        var message = ""
        #expect { try train(arguments) } throws: { error in
            message = String(describing: error)
            return message.contains("produced a non-finite loss") && message.contains("lower --learning-rate")
        }
        let saved = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: out)).checkpointURL)
        #expect(message.contains("checkpoint.rgdm holds step \(saved.state.step)"), "\(message)")
        #expect(saved.state.step < 50 && saved.state.parameters.allSatisfy(\.isFinite), "the last checkpoint is the last finite model")
    }

    @Test func reportsAMissingDatasetAndSplit() throws {
        #expect { try train(["/nonexistent/set.h5", "--steps", "1"]) } throws: { error in
            String(describing: error).contains("/nonexistent/set.h5")
        }
        let dir = try TemporaryDirectory.create("train-split")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        #expect { try train([dataset, "--split", "holdout", "--steps", "1", "--output", dir.path + "/r"]) } throws: { error in
            String(describing: error).contains("no split 'holdout'")
        }
    }
}
