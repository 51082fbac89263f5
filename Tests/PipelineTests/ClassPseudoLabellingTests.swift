import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Pseudo-labels of class-conditional shape models: `rgdm train --class-condition --labelled-fraction F`.
@Suite(.serialized, .temporaryDirectories) struct ClassPseudoLabellingTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    @Test(arguments: [0.05, 0.25, 0.5, 0.999, 1.0])
    func theLabelledShareIsFRoundedAndTheRestGetTheClassifiersLabels(fraction: Double) throws {
        let truth = (0 ..< 40).map { $0 % 4 }
        let labelling = try ClassPseudoLabelling(labelledFraction: fraction, seed: 7)
        var asked: (labelled: [Int], labels: [Int], unlabelled: [Int])?
        // The classifier's label of position p is 100 + p, so each position's label says who gave it.
        let (classes, labelled) = try labelling.labels(trueClasses: truth) { labelled, labels, unlabelled in
            asked = (labelled, labels, unlabelled)
            return unlabelled.map { 100 + $0 }
        }
        let expected = fraction == 1 ? 40 : max(1, Int((fraction * 40).rounded()))
        #expect(labelled.count == expected && Set(labelled).count == expected && labelled == labelled.sorted())
        for p in 0 ..< 40 {
            #expect(classes[p] == (labelled.contains(p) ? truth[p] : 100 + p), "position \(p)")
        }
        if expected < 40 {
            #expect(asked?.labelled == labelled && asked?.labels == labelled.map { truth[$0] })
            #expect(asked?.unlabelled == (0 ..< 40).filter { !labelled.contains($0) })
        } else {
            #expect(asked == nil, "nothing to pseudo-label")
        }
        // Same seed, same share; another seed, another share.
        #expect(try ClassPseudoLabelling(labelledFraction: fraction, seed: 7).labelledPositions(count: 40) == labelled)
        if expected < 40 {
            #expect(try ClassPseudoLabelling(labelledFraction: fraction, seed: 8).labelledPositions(count: 40) != labelled || expected == 1)
        }
    }

    @Test(arguments: [0.0, -0.1, 1.5, Double.nan])
    func aFractionOutsideTheUnitIntervalIsAClearError(fraction: Double) {
        #expect(throws: PipelineError.invalidCondition(reason: "the labelled fraction must be in (0, 1], got \(fraction)")) {
            try ClassPseudoLabelling(labelledFraction: fraction, seed: 1)
        }
    }

    @Test func optionsAreCheckedWhenParsed() {
        expectParseError(RGDMCommand.self, ["train", "s.h5", "--class-condition", "--labelled-fraction", "0"],
                         "--labelled-fraction must be in (0, 1], got 0.0")
        expectParseError(RGDMCommand.self, ["train", "s.h5", "--class-condition", "--labelled-fraction", "1.5"],
                         "--labelled-fraction must be in (0, 1], got 1.5")
        expectParseError(RGDMCommand.self, ["train", "s.h5", "--labelled-fraction", "0.1"], "add --condition PROPERTY (or, shapes, --class-condition)")
        expectParseError(RGDMCommand.self, ["train", "s.h5", "--class-condition", "--labelled-fraction", "0.1", "--t0", "5"],
                         "--t0 applies to --condition")
        expectParseError(RGDMCommand.self, ["train", "s.h5", "--class-condition", "--property-model", "c.rgdm"],
                         "give --labelled-fraction below 1")
        expectParseError(RGDMCommand.self, ["train", "s.h5", "--class-condition", "--labelled-fraction", "0.1",
                                            "--property-model", "a.rgdm", "--property-model", "b.rgdm"], "takes one --property-model")
    }

    static let tiny = ["--latent-width", "4", "--encoder-widths", "8,8", "--decoder-widths", "8,8", "--prior-widths", "8",
                       "--batch", "4", "--seed", "1"]

    /// End to end: a classifier trained on the labelled share's latents, or a PointNet
    /// classifier's file, labels the rest; the card records the share and the classifier.
    @Test func theCardRecordsTheShareAndTheClassifier() throws {
        let dir = try TemporaryDirectory.create("class-pseudo").path
        let data = dir + "/s.h5"
        try rgdm(["preprocess", "shapes", "--procedural", "--category", "chair", "--category", "mug", "--per-category", "10",
                  "--points", "32", "-o", data, "--split", "0.5,0,0.5"])
        try rgdm(["train", data, "--output", dir + "/plain", "--steps", "2"] + Self.tiny)
        let plain = dir + "/plain/checkpoint.rgdm"
        let prior = ["--initialize-from", plain, "--class-condition", "--phase", "prior", "--steps", "2"] + Self.tiny

        try rgdm(["train", data, "--output", dir + "/share", "--labelled-fraction", "0.5"] + prior)
        let share = try #require(try TrainedModel(path: dir + "/share/checkpoint.rgdm", threads: 1).card.classCondition?.labels)
        #expect(share.labelledFraction == 0.5 && share.labelledShapes == 5 && share.trainingShapes == 10)
        #expect(share.classifier.contains("trained on the labelled share") && share.classifier.contains(plain))
        #expect(share.pseudoLabelAgreement.map { (0 ... 1).contains($0) } == true)
        let info = try #require(try InfoCommand.describe(dir + "/share/checkpoint.rgdm")["class_condition"] as? [String: Any])
        #expect(info["labelled_fraction"] as? Double == 0.5 && info["labelled_shapes"] as? String == "5 of 10")

        let classifier = dir + "/pointnet.rgdm"
        try rgdm(["train-property", data, "--property", "class", "-o", classifier, "--steps", "3", "--point-widths", "8",
                  "--head-widths", "8", "--points", "16", "--batch", "4", "--threads", "1"])
        try rgdm(["train", data, "--output", dir + "/file", "--labelled-fraction", "0.2", "--property-model", classifier] + prior)
        let file = try #require(try TrainedModel(path: dir + "/file/checkpoint.rgdm", threads: 1).card.classCondition?.labels)
        #expect(file.labelledShapes == 2 && file.classifier.hasPrefix(classifier))

        // All labels true: nothing recorded. A classifier of latents needs an initial model's latents.
        try rgdm(["train", data, "--output", dir + "/all"] + prior)
        #expect(try TrainedModel(path: dir + "/all/checkpoint.rgdm", threads: 1).card.classCondition?.labels == nil)
        #expect(throws: PipelineError.self) {
            try rgdm(["train", data, "--output", dir + "/fresh", "--class-condition", "--labelled-fraction", "0.5", "--steps", "1"] + Self.tiny)
        }
        // A regressor is no classifier.
        let height = dir + "/height.rgdm"
        try rgdm(["train-property", data, "--property", "height", "-o", height, "--steps", "2", "--point-widths", "8",
                  "--head-widths", "8", "--points", "16", "--batch", "4", "--threads", "1"])
        #expect(throws: PipelineError.self) {
            try rgdm(["train", data, "--output", dir + "/regressor", "--labelled-fraction", "0.5", "--property-model", height] + prior)
        }
    }
}
