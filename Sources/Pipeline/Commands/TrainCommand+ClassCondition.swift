import ArgumentParser
import Diffusion

extension TrainCommand {
    /// With --class-condition: the card's latent prior given the class condition [one-hot(class), 1]
    /// of the shape set's categories (and the condition dropout of --condition-dropout), and the
    /// training shapes with their classes; nil without it.
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
        let classes = Array(labelled.classes.prefix(shapes.count))
        guard classes.count == shapes.count else {
            throw PipelineError.invalidDataset(path: dataset, reason: "\(labelled.classes.count) labelled shapes in '\(split)' for \(shapes.count) clouds")
        }
        let classCard = ClassConditionCard(categories: labelled.categories,
                                           training: try ConditionalTraining(dropout: conditioning.conditionDropout))
        latent.priorConditionWidth = classCard.width
        card.network = AnyModelConfiguration(latent)
        card.classCondition = classCard
        return ClassConditionedShapes(base: shapes, classes: classes, card: classCard)
    }
}
