import Diffusion
import PointCloud

/// Pseudo-labels of a class-conditional shape model (Yuan et al. 2023, Algorithm 1, steps 1–2,
/// with a class as the label): a seeded share F of the training split keeps its true class, a
/// classifier labels every other shape by its most probable class (`ClassLabelSource`). The share
/// is the first max(1, round(F·n)) positions of a seeded permutation (`PseudoLabelling`'s draw, so
/// molecules and shapes pick their labelled shares alike). Same seed, same labels.
public struct ClassPseudoLabelling: Sendable {
    /// The draw of the labelled share (no label noise: a class is not a number).
    private let share: PseudoLabelling

    /// F in (0, 1].
    public init(labelledFraction: Double, seed: UInt64) throws {
        share = try PseudoLabelling(labelledFraction: labelledFraction, noise: [], seed: seed)
    }

    public var labelledFraction: Double { share.labelledFraction }
    public var seed: UInt64 { share.seed }

    /// Positions in a split of `count` shapes of those that keep their class, ascending.
    public func labelledPositions(count: Int) -> [Int] { share.labelledPositions(count: count) }

    /// The classes of a split whose true classes are `trueClasses`: true at the labelled
    /// positions, `classify(labelled, their classes, unlabelled)` elsewhere (one class per
    /// unlabelled position, in order). Returns the classes and the labelled positions.
    public func labels(trueClasses: [Int],
                       classify: (_ labelled: [Int], _ labels: [Int], _ unlabelled: [Int]) throws -> [Int]) throws
        -> (classes: [Int], labelled: [Int])
    {
        let labelled = labelledPositions(count: trueClasses.count)
        var classes = trueClasses
        let isLabelled = Set(labelled)
        let unlabelled = trueClasses.indices.filter { !isLabelled.contains($0) }
        guard !unlabelled.isEmpty else { return (classes, labelled) }
        let predicted = try classify(labelled, labelled.map { trueClasses[$0] }, unlabelled)
        precondition(predicted.count == unlabelled.count, "\(predicted.count) classes for \(unlabelled.count) unlabelled shapes")
        for (position, label) in zip(unlabelled, predicted) { classes[position] = label }
        return (classes, labelled)
    }

    /// The labels of `clouds` (a training split, true classes `trueClasses` over `categories`)
    /// from `source`, and what the card records of them. `encoder`: the initial latent point model.
    public func label(_ clouds: [PointCloud], trueClasses: [Int], categories: [String], source: ClassLabelSource,
                      encoder: TrainedModel?) throws -> (classes: [Int], provenance: ClassLabelProvenance) {
        let (classes, labelled) = try labels(trueClasses: trueClasses) { labelled, labels, unlabelled in
            try source.classify(clouds, categories: categories, labelled: labelled, labels: labels, unlabelled: unlabelled,
                                encoder: encoder, seed: seed)
        }
        let isLabelled = Set(labelled)
        let rest = trueClasses.indices.filter { !isLabelled.contains($0) }
        let agreement = rest.isEmpty ? nil : Double(rest.filter { classes[$0] == trueClasses[$0] }.count) / Double(rest.count)
        return (classes, ClassLabelProvenance(labelledFraction: labelledFraction, seed: seed, classifier: source.name(encoder: encoder?.source),
                                              labelledShapes: labelled.count, trainingShapes: trueClasses.count,
                                              pseudoLabelAgreement: agreement))
    }
}

/// Which classes a class-conditional shape model trained on: a seeded share F kept its true
/// class, a classifier labelled the rest by its most probable class.
public struct ClassLabelProvenance: Sendable, Codable, Equatable {
    /// F in (0, 1].
    public var labelledFraction: Double
    /// The seed of the labelled share's draw (and of a classifier trained here).
    public var seed: UInt64
    /// The classifier, as `ClassLabelSource.name` gives it.
    public var classifier: String
    public var labelledShapes: Int
    public var trainingShapes: Int
    /// The share of pseudo-labels equal to the shapes' true classes (the set has them; the model
    /// never sees them). nil when every shape kept its class.
    public var pseudoLabelAgreement: Double?
}
