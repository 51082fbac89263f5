import Diffusion
import Foundation
import HDF5
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm train --class-condition` and `rgdm sample --class --guidance` end to end on a tiny shape set.
@Suite(.serialized, .temporaryDirectories) struct ClassConditionCommandTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    static let tiny = ["--latent-width", "4", "--encoder-widths", "8,8", "--decoder-widths", "8,8", "--prior-widths", "8",
                       "--batch", "4", "--seed", "1"]

    @Test func trainsAClassConditionalPriorAndSamplesAClass() throws {
        let dir = try TemporaryDirectory.create("class-condition").path
        let data = dir + "/s.h5"
        try rgdm(["preprocess", "shapes", "--procedural", "--category", "chair", "--category", "mug", "--per-category", "6",
                  "--points", "32", "-o", data, "--split", "0.5,0,0.5"])
        try rgdm(["train", data, "--output", dir + "/plain", "--steps", "2"] + Self.tiny)
        try rgdm(["train", data, "--output", dir + "/cond", "--initialize-from", dir + "/plain/checkpoint.rgdm", "--class-condition",
                  "--condition-dropout", "0.2", "--phase", "prior", "--steps", "3"] + Self.tiny)

        let model = try TrainedModel(path: dir + "/cond/checkpoint.rgdm", threads: 1)
        #expect(model.card.classCondition == ClassConditionCard(categories: ["chair", "mug"],
                                                                training: try ConditionalTraining(dropout: 0.2)))
        #expect(model.card.initializedFrom?.hasSuffix("prior (condition channels added)") == true)
        // The model it makes trains with the card's dropout.
        #expect((model.model as? LatentPointModel)?.conditionalTraining.dropout == 0.2)
        #expect(model.model.conditionWidth == 3)
        #expect(try TrainedModel.describe(checkpointAt: dir + "/cond/checkpoint.rgdm")["class_condition"] != nil, "rgdm info shows the classes")

        try rgdm(["sample", "--model", dir + "/cond/checkpoint.rgdm", "--class", "mug", "--guidance", "1.5", "--count", "3",
                  "--seed", "2", "-o", dir + "/mugs.h5"])
        let mugs = try ShapeNetLayout.read(try HDF5File(readingFrom: dir + "/mugs.h5"), split: "test")
        #expect(mugs.clouds.count == 3 && mugs.clouds.allSatisfy { $0.count == 32 })
        // Without --class: the unconditional part.
        try rgdm(["sample", "--model", dir + "/cond/checkpoint.rgdm", "--count", "2", "-o", dir + "/any.h5"])

        // The two sets side by side: a row of pictures each.
        try rgdm(["gallery", "any=" + dir + "/any.h5", dir + "/mugs.h5", "--per-set", "2", "-o", dir + "/page"])
        let page = try String(contentsOfFile: dir + "/page.html", encoding: .utf8)
        #expect(page.contains("any (") && page.contains("mugs (") && page.components(separatedBy: "<svg").count - 1 == 4)
        #expect(GalleryCommand.named("a=b.h5") == ("a", "b.h5") && GalleryCommand.named("x/b.h5") == ("b", "x/b.h5"))

        #expect(throws: PipelineError.self) {
            try rgdm(["sample", "--model", dir + "/cond/checkpoint.rgdm", "--class", "sofa", "--count", "1", "-o", dir + "/x.h5"])
        }
        // Reward fine-tuning steers an unconditional prior.
        #expect(throws: PipelineError.self) {
            try rgdm(["finetune", "--model", dir + "/cond/checkpoint.rgdm", "--output", dir + "/ft", "--method", "rgdm",
                      "--reward", "symmetry(x)", "--rounds", "1", "--pool", "2", "--steps-per-round", "1", "--batch", "2",
                      "--pool-batch", "2", "--steps", "4", "--threads", "1"])
        }
        #expect(throws: PipelineError.self) {
            try rgdm(["sample", "--model", dir + "/plain/checkpoint.rgdm", "--class", "mug", "--count", "1", "-o", dir + "/y.h5"])
        }
    }
}
