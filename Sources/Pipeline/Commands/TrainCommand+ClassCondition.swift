import ArgumentParser
import Diffusion
import Foundation

extension TrainCommand {
    /// The conditioning options without --condition: pseudo-labels only with --class-condition, no t0.
    func validateClassCondition() throws {
        guard conditioning.properties.isEmpty else { return }
        if !classCondition, conditioning.labelledFraction != 1 || !conditioning.propertyModel.isEmpty || conditioning.t0 != 0 {
            throw ValidationError("--labelled-fraction, --property-model and --t0 apply to a conditional model: add --condition PROPERTY (or, shapes, --class-condition)")
        }
        if classCondition {
            if conditioning.t0 != 0 { throw ValidationError("--t0 applies to --condition; a class-conditional prior has no early stop") }
            if conditioning.propertyModel.count > 1 { throw ValidationError("--class-condition takes one --property-model: the classifier of the pseudo-labels") }
            if conditioning.pseudoLabelNoise != [0] { throw ValidationError("--pseudo-label-noise applies to property labels; a class pseudo-label is the classifier's most probable class") }
            if conditioning.labelledFraction == 1, !conditioning.propertyModel.isEmpty {
                throw ValidationError("--property-model labels the shapes outside the labelled share: give --labelled-fraction below 1")
            }
        }
    }

    /// With --class-condition: the card's latent prior given the class condition [one-hot(class), 1]
    /// of the shape set's categories (and the condition dropout of --condition-dropout), and the
    /// training shapes with their classes; nil without it. With --labelled-fraction F < 1 only a
    /// seeded share F keeps its class and the rest are pseudo-labelled (`ClassPseudoLabelling`:
    /// the classifier of --property-model, or one trained on the share's latents under
    /// --initialize-from's encoder), recorded in the card.
    func classConditioning(_ data: TrainingData, card: inout ModelCard) throws -> ClassConditionedShapes? {
        guard classCondition else { return nil }
        guard case let .shapes(shapes) = data else {
            throw ValidationError("--class-condition conditions shape models on their class; \(dataset) holds molecules")
        }
        guard conditioning.properties.isEmpty else { throw ValidationError("give --condition or --class-condition, not both") }
        guard var latent = card.network.as(LatentPointConfiguration.self) else {
            throw ValidationError("--class-condition conditions a latent point model's prior: use --architecture latent-points")
        }
        // The same clouds in the same order (category groups by name, then file order) with their classes.
        let labelled = try LabelledShapes.open(dataset, split: split, normalization: .none)
        var classes = Array(labelled.classes.prefix(shapes.count))
        guard classes.count == shapes.count else {
            throw PipelineError.invalidDataset(path: dataset, reason: "\(labelled.classes.count) labelled shapes in '\(split)' for \(shapes.count) clouds")
        }
        var classCard = ClassConditionCard(categories: labelled.categories,
                                           training: try ConditionalTraining(dropout: conditioning.conditionDropout))
        if conditioning.labelledFraction < 1 {
            // A seeded share keeps its class; a classifier labels the rest (the labels' own stream, as for molecules).
            let labelling = try ClassPseudoLabelling(labelledFraction: conditioning.labelledFraction, seed: global.seed ^ 0x6C61_6265_6C73)
            let encoder = try initializeFrom.map { try TrainedModel(path: $0, threads: global.workerCount) }
            let outcome = try labelling.label(Array(labelled.clouds.prefix(shapes.count)), trueClasses: classes, categories: labelled.categories,
                                              source: ClassLabelSource(path: conditioning.propertyModel.first), encoder: encoder)
            classes = outcome.classes
            classCard.labels = outcome.provenance
            let labels = outcome.provenance
            FileHandle.standardError.write(Data(("rgdm train: \(labels.labelledShapes) of \(labels.trainingShapes) shapes keep their class; "
                + "the rest take the most probable class by \(labels.classifier)"
                + (labels.pseudoLabelAgreement.map { String(format: " (%.1f %% agree with the set's own classes)", 100 * $0) } ?? "") + "\n").utf8))
        }
        latent.priorConditionWidth = classCard.width
        card.network = AnyModelConfiguration(latent)
        card.classCondition = classCard
        return ClassConditionedShapes(base: shapes, classes: classes, card: classCard)
    }
}
