import ArgumentParser
import Diffusion
import Foundation
import HDF5
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm train-property --noise-aware --guides MODEL` on a shape set and `rgdm sample
/// --property-model` guiding a latent point model's prior, end to end on a tiny shape set.
@Suite(.serialized, .temporaryDirectories) struct LatentPropertyCommandTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    static let tiny = ["--latent-width", "4", "--encoder-widths", "8,8", "--decoder-widths", "8,8", "--prior-widths", "8",
                       "--batch", "4"]
    static let property = ["--latent-widths", "8", "--batch", "4", "--threads", "1"]

    /// A tiny shape set and two tiny latent point models of it (seeds 1 and 2: two encoders).
    private func fixture(_ name: String) throws -> (dir: String, data: String, model: String, other: String) {
        let dir = try TemporaryDirectory.create(name).path
        let data = dir + "/s.h5"
        try rgdm(["preprocess", "shapes", "--procedural", "--category", "chair", "--category", "mug", "--per-category", "6",
                  "--points", "32", "-o", data, "--split", "0.5,0,0.5"])
        try rgdm(["train", data, "--output", dir + "/a", "--steps", "2", "--seed", "1"] + Self.tiny)
        try rgdm(["train", data, "--output", dir + "/b", "--steps", "2", "--seed", "2"] + Self.tiny)
        return (dir, data, dir + "/a/checkpoint.rgdm", dir + "/b/checkpoint.rgdm")
    }

    @Test func trainsANoiseAwareRegressorOfLatentsAndGuidesThePriorTowardATarget() throws {
        let (dir, data, model, other) = try fixture("latent-regressor")
        let height = dir + "/height.rgdm"
        try rgdm(["train-property", data, "--property", "height", "--noise-aware", "--guides", model, "--steps", "6", "-o", height]
                 + Self.property)
        let property = try LatentPropertyModel.open(height)
        let trained = try TrainedModel(path: model, threads: 1)
        #expect(property.card.space.sameLatents(as: try LatentSpace(of: trained)))
        #expect(property.card.noise == PropertyModelCard.NoiseProcess(schedule: trained.card.schedule, timesteps: trained.card.timesteps,
                                                                      precision: trained.card.schedulePrecision))
        guard case let .regression(.height, _, scale) = property.card.task, case let .regression(scores) = property.card.scores else {
            Issue.record("a regressor of height with held-out scores: \(property.card.task), \(String(describing: property.card.scores))")
            return
        }
        #expect(scale > 0 && scores.map(\.split) == ["test"] && scores[0].count == 6)
        let info = try InfoCommand.describe(height)
        #expect(info["kind"] as? String == "latent property model" && info["noise"] != nil && info["scores_t0"] != nil)
        let report = try String(contentsOfFile: dir + "/height.report.json", encoding: .utf8)
        #expect(report.contains("\"noise_aware\" : true") || report.contains("\"noise_aware\":true"))

        try rgdm(["sample", "--model", model, "--property-model", height, "--target", "3", "--guidance", "2", "--count", "3",
                  "--steps", "5", "--seed", "4", "-o", dir + "/tall.h5"])
        let tall = try ShapeNetLayout.read(try HDF5File(readingFrom: dir + "/tall.h5"), split: "test")
        #expect(tall.clouds.count == 3 && tall.clouds.allSatisfy { $0.count == 32 })
        let sampleReport = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/tall.report.json"))) as? [String: Any]
        let guidance = sampleReport?["property_guidance"] as? [String: Any]
        #expect(guidance?["target"] as? Double == 3 && guidance?["weight"] as? Double == 2 && guidance?["samples_height_mean"] != nil)

        // Another encoder's latents are another space; a regressor is not asked for a class.
        #expect(throws: PipelineError.self) {
            try rgdm(["sample", "--model", other, "--property-model", height, "--target", "3", "--count", "1", "--steps", "2", "-o", dir + "/x.h5"])
        }
        #expect(throws: PipelineError.invalidCondition(reason: "\(height) is a regressor of height: give a --target, not a --class")) {
            try rgdm(["sample", "--model", model, "--property-model", height, "--class", "mug", "--count", "1", "--steps", "2", "-o", dir + "/y.h5"])
        }
        do {
            try property.checkGuides(try TrainedModel(path: other, threads: 1))
            Issue.record("a model of another encoder's latents guided it")
        } catch let PipelineError.invalidModel(path, reason) {
            #expect(path == height && reason.contains("reads the latents of \(model)"), "\(reason)")
        }
    }

    @Test func aNoiseAwareClassifierGuidesTowardAClass() throws {
        let (dir, data, model, _) = try fixture("latent-classifier")
        let classifier = dir + "/class.rgdm"
        try rgdm(["train-property", data, "--property", "class", "--noise-aware", "--guides", model, "--steps", "6", "-o", classifier]
                 + Self.property)
        let property = try LatentPropertyModel.open(classifier)
        #expect(property.card.task == .classification(categories: ["chair", "mug"]))
        guard case let .classification(scores) = property.card.scores else { Issue.record("no held-out accuracy"); return }
        #expect(scores.map(\.split) == ["test"] && scores[0].count == 6)
        try rgdm(["sample", "--model", model, "--property-model", classifier, "--class", "mug", "--guidance", "3", "--count", "2",
                  "--steps", "3", "-o", dir + "/mugs.h5"])
        let mugs = try ShapeNetLayout.read(try HDF5File(readingFrom: dir + "/mugs.h5"), split: "test")
        #expect(mugs.clouds.count == 2)
        #expect(throws: PipelineError.invalidCondition(reason: "\(classifier) is a classifier: ask for a class with --class, not a --target")) {
            try rgdm(["sample", "--model", model, "--property-model", classifier, "--target", "1", "--count", "1", "--steps", "2", "-o", dir + "/z.h5"])
        }
        #expect(throws: PipelineError.self) {
            try rgdm(["sample", "--model", model, "--property-model", classifier, "--class", "sofa", "--count", "1", "--steps", "2", "-o", dir + "/w.h5"])
        }
        // A clean model (t = 0 only) classifies latents but does not guide.
        var clean = LatentPropertyTraining(dataset: data, property: "class", output: dir + "/clean.rgdm", guides: try TrainedModel(path: model, threads: 1))
        clean.heldOut = []
        var settings = LatentPropertyTraining.Settings()
        settings.noiseAware = false
        settings.hidden = [8]
        settings.steps = 2
        let outcome = try clean.train(settings)
        #expect(outcome.card.noise == nil)
        #expect(throws: PipelineError.self) { try LatentPropertyModel.open(dir + "/clean.rgdm").checkGuides(try TrainedModel(path: model, threads: 1)) }
    }

    @Test func aResumedRunEndsWhereAStraightRunEndsAndBadRequestsAreRefused() throws {
        let (dir, data, model, other) = try fixture("latent-resume")
        let straight = dir + "/straight.rgdm", resumed = dir + "/resumed.rgdm"
        try rgdm(["train-property", data, "--property", "radius", "--noise-aware", "--guides", model, "--steps", "8", "-o", straight] + Self.property)
        try rgdm(["train-property", data, "--property", "radius", "--noise-aware", "--guides", model, "--steps", "4", "-o", resumed] + Self.property)
        try rgdm(["train-property", data, "--property", "radius", "--noise-aware", "--guides", model, "--steps", "8", "-o", resumed] + Self.property)
        #expect(try TrainedModel.checkpoint(at: resumed).state == TrainedModel.checkpoint(at: straight).state)
        // The same output for another model's latents is another run.
        #expect(throws: PipelineError.self) {
            try rgdm(["train-property", data, "--property", "radius", "--noise-aware", "--guides", other, "--steps", "9", "-o", resumed] + Self.property)
        }
        #expect(throws: ValidationError.self) {
            try rgdm(["train-property", data, "--property", "height", "--noise-aware", "--steps", "2", "-o", dir + "/n.rgdm"] + Self.property)
        }
        #expect(throws: ValidationError.self) {
            try rgdm(["train-property", data, "--property", "height", "--guides", model, "--steps", "2", "-o", dir + "/g.rgdm"] + Self.property)
        }
        #expect(throws: PipelineError.self) {
            try rgdm(["train-property", data, "--property", "volume", "--noise-aware", "--guides", model, "--steps", "2", "-o", dir + "/v.rgdm"] + Self.property)
        }
    }
}
