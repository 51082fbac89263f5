import Chem
import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm train-property` and `rgdm sample --target --property-model` end to end on 200
/// molecules of the committed QM9 subset, with the shipped unconditional model qm9-s.
@Suite(.serialized, .temporaryDirectories) struct PropertyCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let subset = repository.appendingPathComponent("datasets/qm9-subset/qm9-subset-3000.csv").path
    static let shipped = repository.appendingPathComponent("models/qm9-s.rgdm").path

    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    private func report(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// 200 molecules of the subset, preprocessed (160 / 20 / 20): the first 190 and the first 10
    /// with fluorine, so that the vocabulary is the shipped model's, H C N O F.
    private func smallSet(_ dir: URL) throws -> String {
        let lines = try String(contentsOfFile: Self.subset, encoding: .utf8).split(separator: "\n").map(String.init)
        let fluorinated = lines.dropFirst(191).filter { $0.contains("'F'") }.prefix(10)
        let csv = dir.appendingPathComponent("qm9-200.csv").path
        try ((lines.prefix(191) + fluorinated).joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("qm9-200.h5").path
        let job = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", csv, "-o", output]) as? PreprocessMoleculesCommand).job
        _ = try job.run(workers: 1)
        return output
    }

    @Test func trainsPropertyModelsAndGuidesTheShippedModel() throws {
        let dir = try TemporaryDirectory.create("property-command")
        let set = try smallSet(dir)
        let ridge = dir.appendingPathComponent("alpha-ridge.rgdm").path
        try rgdm(["train-property", set, "--property", "alpha", "--architecture", "ridge", "-o", ridge])
        let ridgeReport = try report(dir.appendingPathComponent("alpha-ridge.report.json").path)
        #expect(ridgeReport["property"] as? String == "Polarizability_bohr3" && ridgeReport["architecture"] as? String == "ridge")
        let scores = try #require(ridgeReport["scores"] as? [[String: Any]])
        #expect(scores.map { $0["split"] as? String } == ["valid", "test"])
        // α spreads over about 8 Bohr³; the baseline must do far better than the mean (R² > 0.5).
        #expect(scores.allSatisfy { ($0["r2"] as? Double ?? 0) > 0.5 }, "\(scores)")
        let info = try InfoCommand.describe(ridge)
        #expect(info["kind"] as? String == "property model" && info["property"] as? String == "Polarizability_bohr3"
                && (info["scores"] as? [String: Any])?.keys.sorted() == ["test", "valid"])

        let guide = dir.appendingPathComponent("alpha-noisy.rgdm").path
        let small = ["--layers", "1", "--hidden", "8", "--readout", "4", "--head-hidden", "8", "--batch", "16", "--threads", "1"]
        try rgdm(["train-property", set, "--property", "alpha", "--noise-aware", "-o", guide, "--steps", "3"] + small)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("alpha-noisy.log.jsonl").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("alpha-noisy.run.json").path))

        let samples = dir.appendingPathComponent("guided.sdf").path
        // A short ancestral chain (the default SDE-DPM-Solver++ chain with η = 5 diverges on 10 steps).
        let sampling = ["--model", Self.shipped, "--count", "3", "--batch", "3", "--sampler", "ancestral", "--steps", "10",
                        "--corrector-steps", "0", "--threads", "1", "--seed", "4"]
        try rgdm(["sample"] + sampling + ["-o", samples, "--target", "80", "--guidance", "2", "--property-model", guide, "--oracle", ridge])
        let guided = try #require(try report(dir.appendingPathComponent("guided.report.json").path)["property_guidance"] as? [String: Any])
        #expect(guided["target"] as? Double == 80 && guided["guidance"] as? Double == 2 && guided["property_model"] as? String == guide)
        #expect(guided["property"] as? String == "Polarizability_bohr3" && guided["guidance_clip"] as? Double == 1)
        #expect(((guided["predictions"] as? [String: Any])?["median"] as? Double)?.isFinite == true)
        // Sizes come from the property model's training molecules labelled nearest the target.
        #expect(guided["sizes"] as? String == "the 50 of 160 training molecules of the property model labelled nearest the target")
        let guideCard = try #require(try PropertyModelFile.load(guide) as? EGNNPropertyModel).card
        let reference = try #require(guideCard.sizes)
        let near = reference.nearest([80], normalization: try ConditionNormalization(means: [guideCard.labelMean], deviations: [guideCard.labelScale]))
        let drawnSizes = try Molecule.readAll(contentsOf: samples).map(\.atoms.count)
        #expect(!drawnSizes.isEmpty && drawnSizes.allSatisfy(Set(near.map { reference.sizes[$0] }).contains), "\(drawnSizes)")
        let html = try String(contentsOfFile: dir.appendingPathComponent("guided.report.html").path, encoding: .utf8)
        #expect(html.contains("Property guidance") && html.contains("guidance w") && html.contains("MAE to the target"))
        let oracle = try #require(try report(dir.appendingPathComponent("guided.report.json").path)["oracle"] as? [String: Any])
        #expect(oracle["property_model"] as? String == ridge
                && ((oracle["predictions"] as? [String: Any])?["mae_to_target"] as? Double)?.isFinite == true)
        // Guidance far too strong: chains that diverge even when drawn again are counted, not written.
        let wild = dir.appendingPathComponent("wild.sdf").path
        try rgdm(["sample"] + sampling + ["-o", wild, "--target", "80", "--guidance", "1e9", "--guidance-clip", "0", "--property-model", guide])
        let diverged = try #require(try report(dir.appendingPathComponent("wild.report.json").path)["diverged"] as? Int)
        #expect(diverged == 3)
        #expect(!(try String(contentsOfFile: wild, encoding: .utf8)).contains("nan"), "no record with NaN coordinates is written")
        // An oracle scores unguided samples too (no target: no distance to one).
        try rgdm(["sample"] + sampling + ["-o", dir.appendingPathComponent("plain.sdf").path, "--oracle", ridge])
        let plain = try report(dir.appendingPathComponent("plain.report.json").path)
        #expect(plain["property_guidance"] == nil
                && ((plain["oracle"] as? [String: Any])?["predictions"] as? [String: Any])?["mae_to_target"] is NSNull)

        // An unconditional model is guided toward one value: not two, not the data's.
        for extra in [["--target", "80", "--target", "90"], ["--condition-from-data"]] {
            #expect(throws: PipelineError.invalidCondition(reason: "--property-model guides the unconditional \(Self.shipped) toward one --target value")) {
                try rgdm(["sample"] + sampling + ["-o", samples, "--property-model", guide] + extra)
            }
        }
        // Property models that cannot guide: a ridge model, a model of clean molecules, another forward process.
        #expect(throws: PipelineError.invalidModel(path: ridge, reason: "guidance needs a noise-aware EGNN property model, not ridge")) {
            try rgdm(["sample"] + sampling + ["-o", samples, "--target", "80", "--property-model", ridge])
        }
        let clean = dir.appendingPathComponent("alpha-clean.rgdm").path
        try rgdm(["train-property", set, "--property", "alpha", "-o", clean, "--steps", "1"] + small)
        #expect(throws: PipelineError.invalidModel(
            path: clean, reason: "it was trained on clean molecules; guidance needs a noise-aware model (rgdm train-property --noise-aware)")) {
            try rgdm(["sample"] + sampling + ["-o", samples, "--target", "80", "--property-model", clean])
        }
        let other = dir.appendingPathComponent("alpha-t500.rgdm").path
        try rgdm(["train-property", set, "--property", "alpha", "--noise-aware", "--timesteps", "500", "-o", other, "--steps", "1"] + small)
        #expect(throws: PipelineError.invalidModel(
            path: other, reason: "it learnt the forward process polynomial2, T = 500, precision 1e-05; the diffusion model's is polynomial2, T = 1000, precision 1e-05")) {
            try rgdm(["sample"] + sampling + ["-o", samples, "--target", "80", "--property-model", other])
        }
    }

    /// A labelled set without fluorine trains a model over H C N O, which cannot read what the
    /// shipped model draws; `--guides` takes that model's vocabulary and forward process instead.
    @Test func aSmallSetGuidesAModelWithElementsItLacks() throws {
        let dir = try TemporaryDirectory.create("property-guides")
        let lines = try String(contentsOfFile: Self.subset, encoding: .utf8).split(separator: "\n").map(String.init)
        let csv = dir.appendingPathComponent("no-fluorine.csv").path
        try ((lines.prefix(1) + lines.dropFirst().filter { !$0.contains("'F'") }.prefix(60)).joined(separator: "\n") + "\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let set = dir.appendingPathComponent("no-fluorine.h5").path
        _ = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", csv, "-o", set]) as? PreprocessMoleculesCommand).job.run(workers: 1)
        let small = ["--property", "alpha", "--noise-aware", "--steps", "1", "--layers", "1", "--hidden", "8", "--readout", "4",
                     "--head-hidden", "8", "--batch", "16", "--threads", "1"]
        let shipped = try TrainedModel(path: Self.shipped, threads: 1, useEMA: true)

        let own = dir.appendingPathComponent("own.rgdm").path
        try rgdm(["train-property", set, "-o", own] + small)
        let ownModel = try #require(try PropertyModelFile.load(own) as? EGNNPropertyModel)
        #expect(ownModel.card.atomicNumbers == [1, 6, 7, 8])
        #expect(throws: PipelineError.self) { try ownModel.checkGuides(shipped) }

        let guiding = dir.appendingPathComponent("guiding.rgdm").path
        try rgdm(["train-property", set, "-o", guiding, "--guides", Self.shipped, "--timesteps", "500"] + small)
        let model = try #require(try PropertyModelFile.load(guiding) as? EGNNPropertyModel)
        #expect(model.card.atomicNumbers == [1, 6, 7, 8, 9])
        #expect(model.card.noise?.timesteps == 1000, "the guided model's T, not --timesteps")
        try model.checkGuides(shipped)
    }
}
