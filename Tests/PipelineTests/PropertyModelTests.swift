import Diffusion
import Foundation
import HDF5
import Testing
import TestSupport
@testable import Pipeline

/// Property models in Pipeline: ridge and EGNN training on a set with a property known exactly,
/// the file they write, resuming, the PropertyPredictor seam, and bad input.
@Suite(.serialized, .temporaryDirectories) struct PropertyModelTests {
    func fixture(_ name: String, count: Int = 60, emptyValid: Bool = false) throws -> (directory: URL, dataset: String) {
        let dir = try TemporaryDirectory.create(name)
        let dataset = dir.appendingPathComponent("set.h5").path
        try PropertyFixtures.write(to: dataset, count: count, emptyValid: emptyValid)
        return (dir, dataset)
    }

    static func settings(steps: Int) -> PropertyTraining.EGNNSettings {
        var settings = PropertyTraining.EGNNSettings()
        settings.layers = 2
        settings.hidden = 16
        settings.readoutWidth = 8
        settings.headHidden = 16
        settings.steps = steps
        settings.checkpointEvery = 4
        settings.trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 3e-3), emaDecay: 0, batchSize: 8, seed: 2)
        return settings
    }

    @Test func ridgeRecoversAnAdditivePropertyExactly() throws {
        // More training molecules (420) than descriptors (4 + 10 × 18 = 184), so the fit is determined.
        let (dir, dataset) = try fixture("ridge", count: 600)
        let output = dir.appendingPathComponent("additive.rgdm").path
        let outcome = try PropertyTraining(dataset: dataset, property: "additive", output: output).fitRidge()
        #expect(outcome.card.scores.map(\.split) == ["valid", "test"])
        for score in outcome.card.scores {
            #expect(score.meanAbsoluteError < 1e-2 && score.rSquared > 0.9999, "\(score.summary)")
        }
        // The file opens as the same model, and it conforms to the seam.
        let model = try PropertyModelFile.open(output)
        #expect(model.property == "additive" && model.vocabulary == [1, 6, 7, 8] && model.card.architecture == .ridge)
        let test = try LabelledMolecules.open(dataset, split: "test", property: "additive")
        expectClose(try test.predictions(of: model), test.labels, tolerance: 1e-2, "ridge on the test split")
    }

    @Test func egnnLearnsTheAdditivePropertyAndResumesExactly() throws {
        let (dir, dataset) = try fixture("egnn")
        let straightPath = dir.appendingPathComponent("straight.rgdm").path, pausedPath = dir.appendingPathComponent("paused.rgdm").path
        let straight = try PropertyTraining(dataset: dataset, property: "additive", output: straightPath).trainEGNN(Self.settings(steps: 10))
        #expect(straight.step == 10 && !straight.interrupted && straight.card.scores.count == 2)
        var calls = 0
        let paused = try PropertyTraining(dataset: dataset, property: "additive", output: pausedPath)
            .trainEGNN(Self.settings(steps: 10), shouldStop: { calls += 1; return calls > 6 })
        #expect(paused.interrupted && paused.step == 6 && paused.card.scores.isEmpty)
        let resumed = try PropertyTraining(dataset: dataset, property: "additive", output: pausedPath).trainEGNN(Self.settings(steps: 10))
        #expect(resumed.stepsTaken == 4 && resumed.step == 10)
        let a = try Checkpoint(contentsOf: URL(fileURLWithPath: straightPath)), b = try Checkpoint(contentsOf: URL(fileURLWithPath: pausedPath))
        #expect(a.state == b.state, "a resumed run repeats the straight one")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("straight.log.jsonl").path))

        // Longer, it learns the property: test MAE well under the labels' spread.
        let longer = try PropertyTraining(dataset: dataset, property: "additive", output: dir.appendingPathComponent("long.rgdm").path)
            .trainEGNN(Self.settings(steps: 300))
        let test = try #require(longer.card.scores.first { $0.split == "test" })
        #expect(test.meanAbsoluteError < 0.15 * longer.card.labelScale && test.rSquared > 0.95, "\(test.summary), scale \(longer.card.labelScale)")
    }

    @Test func predictionsDoNotNeedTheAtomicNumberColumn() throws {
        let (dir, dataset) = try fixture("columns")
        let output = dir.appendingPathComponent("m.rgdm").path
        _ = try PropertyTraining(dataset: dataset, property: "additive", output: output).trainEGNN(Self.settings(steps: 2))
        let model = try PropertyModelFile.open(output)
        let set = try LabelledMolecules.open(dataset, split: "test", property: "additive")
        var batch = try set.graphs.batch(at: [0, 1, 2])
        let full = try model.predict(batch)
        let f = set.graphs.featureWidth, v = set.graphs.atomicNumbers.count
        batch.features = (0 ..< batch.layout.nodeCount).flatMap { i in batch.features[(i * f) ..< (i * f + v)] }
        expectClose(try model.predict(batch), full, tolerance: 1e-6, "without the atomic-number column")
        batch.features = [Float](repeating: 0, count: batch.layout.nodeCount * 2)
        #expect(throws: PipelineError.invalidModel(path: output, reason: "it reads one-hot features over 4 elements [1, 6, 7, 8] (+ the atomic number); the graphs have 2 features per node")) {
            try model.predict(batch)
        }
    }

    @Test func badInputIsRefusedNamingTheFileAndRecord() throws {
        let (dir, dataset) = try fixture("bad")
        let output = dir.appendingPathComponent("m.rgdm").path
        #expect(throws: PipelineError.unknownProperty(path: dataset, property: "alpha", available: ["additive", "constant", "gappy"])) {
            try PropertyTraining(dataset: dataset, property: "alpha", output: output).fitRidge()
        }
        #expect(throws: PipelineError.invalidDataset(
            path: dataset, reason: "molecule 7 (M7) has gappy = nan; a property model needs a finite label for every molecule of the split")) {
            try PropertyTraining(dataset: dataset, property: "gappy", output: output).fitRidge()
        }
        #expect(throws: PipelineError.invalidDataset(path: dataset, reason: "constant takes a single value over the 42 molecules of split 'train'; nothing to learn")) {
            try PropertyTraining(dataset: dataset, property: "constant", output: output).trainEGNN(Self.settings(steps: 1))
        }
        let (_, noValid) = try fixture("no-valid", emptyValid: true)
        #expect(throws: PipelineError.invalidDataset(path: noValid, reason: "ridge regression chooses λ on the 'valid' split, which the set lacks or has empty")) {
            try PropertyTraining(dataset: noValid, property: "additive", output: output).fitRidge()
        }
        #expect(throws: PipelineError.invalidDataset(path: noValid, reason: "split 'valid' is empty")) {
            try LabelledMolecules.open(noValid, split: "valid", property: "additive")
        }
        // Another property into an existing run, and a file that is not a property model.
        _ = try PropertyTraining(dataset: dataset, property: "additive", output: output).trainEGNN(Self.settings(steps: 1))
        #expect(throws: PipelineError.self) {
            try PropertyTraining(dataset: dataset, property: "gappy", output: output).trainEGNN(Self.settings(steps: 2))
        }
        let diffusion = PropertyModelTests.repository.appendingPathComponent("models/qm9-s.rgdm").path
        #expect(throws: PipelineError.invalidModel(path: diffusion, reason: "not a property model (rgdm train-property writes those)")) {
            try PropertyModelFile.open(diffusion)
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func commandOptionsAreChecked() {
        expectParseError(RGDMCommand.self, ["train-property", "s.h5", "--property", "alpha", "-o", "p.rgdm", "--architecture", "ridge",
                                            "--noise-aware"], "--noise-aware needs --architecture egnn")
        expectParseError(RGDMCommand.self, ["train-property", "s.h5", "--property", "alpha", "-o", "p.pt"], "--output must end in .rgdm")
        expectParseError(RGDMCommand.self, ["train-property", "s.h5", "-o", "p.rgdm"], "Missing expected argument '--property <property>'")
        // --target and --guidance are shared with conditional sampling; --property-model needs a target
        // (an unconditional model exactly one: PropertyCommandTests).
        expectParseError(RGDMCommand.self, ["sample", "--model", "m.rgdm", "-o", "s.sdf", "--property-model", "p.rgdm"],
                         "--property-model guides toward --target")
        expectParseError(RGDMCommand.self, ["sample", "--model", "m.rgdm", "-o", "s.sdf", "--property-model", "p.rgdm",
                                            "--property-weight=-1", "--target", "1"], "--property-weight must be a finite number ≥ 0")
        expectParseError(RGDMCommand.self, ["sample", "--model", "m.rgdm", "-o", "s.sdf", "--target", "1", "--property-model", "p.rgdm",
                                            "--reward", "qed"], "--property-model guides the model's own chain")
        expectParseError(RGDMCommand.self, ["sample", "--model", "m.rgdm", "-o", "s.sdf", "--target", "1", "--property-model", "p.rgdm",
                                            "--guidance-clip=-1"], "--guidance-clip must be a finite number ≥ 0")
    }
}
