import Diffusion
import Foundation

/// Trains one property model on the training split of a molecule set and scores it on the
/// held-out splits (validation and test, those the set has): `rgdm train-property`'s work, with no
/// printing. An EGNN model trains by AdamW to `steps`, checkpointing to `output` (a run found there
/// resumes exactly); a ridge model is fitted in closed form, λ chosen on the validation split.
public struct PropertyTraining {
    public var dataset: String
    public var property: String
    public var output: String
    /// The split trained on: a stored split or a part of one (`SplitSelection`, e.g. `train:2/2`).
    public var trainingSplit = "train"
    /// Use only the first N molecules of each split.
    public var limit: Int?
    /// The atomic numbers the model reads, in one-hot order (default: the set's elements); a
    /// model that guides a diffusion model takes that model's, which may hold elements the set lacks.
    public var vocabulary: [Int]?
    /// Held-out splits scored when training ends.
    public var heldOut = ["valid", "test"]
    public var threads = 1

    public init(dataset: String, property: String, output: String) {
        self.dataset = dataset
        self.property = property
        self.output = output
    }

    /// What a run returns: the card as written (scores included) and whether it stopped early.
    public struct Outcome {
        public var card: PropertyModelCard
        public var stepsTaken: Int
        public var step: Int
        public var interrupted: Bool
    }

    /// The training split, checked: at least two molecules and labels that vary.
    func trainingSet() throws -> LabelledMolecules {
        let train = try LabelledMolecules.open(dataset, split: trainingSplit, property: property, limit: limit, vocabulary: vocabulary)
        let (_, scale) = train.labelMoments
        guard train.graphs.count >= 2, scale > 0, scale.isFinite else {
            throw PipelineError.invalidDataset(
                path: dataset, reason: "\(train.property) takes a single value over the \(train.graphs.count) molecules of split '\(trainingSplit)'; nothing to learn")
        }
        return train
    }

    /// The card of a model trained on `train`.
    func card(for train: LabelledMolecules, model: PropertyModelCard.Model) -> PropertyModelCard {
        let (mean, scale) = train.labelMoments
        var card = PropertyModelCard(property: train.property, dataset: dataset, split: train.split, labelMean: mean, labelScale: scale,
                                     atomicNumbers: train.graphs.atomicNumbers, includesAtomicNumber: train.graphs.includesAtomicNumber,
                                     model: model)
        card.sizes = ConditionReference(allSizes: train.graphs.nodeCounts, allValues: train.labels, seed: 0)
        return card
    }

    /// Scores of `model` on the held-out splits the set has.
    func scores(of model: some PropertyPredictor) throws -> [RegressionScore] {
        try heldOut.filter { LabelledMolecules.hasSplit(dataset, split: $0) }.map { split in
            let set = try LabelledMolecules.open(dataset, split: split, property: property, limit: limit, vocabulary: vocabulary)
            return RegressionScore(split: split, predictions: try set.predictions(of: model), labels: set.labels)
        }
    }

    /// Fits ridge regression on `descriptors` of the training split, λ chosen on the validation split.
    public func fitRidge(descriptorWidth: Double = 0.15) throws -> Outcome {
        let train = try trainingSet()
        guard LabelledMolecules.hasSplit(dataset, split: "valid") else {
            throw PipelineError.invalidDataset(path: dataset, reason: "ridge regression chooses λ on the 'valid' split, which the set lacks or has empty")
        }
        let valid = try LabelledMolecules.open(dataset, split: "valid", property: property, limit: limit, vocabulary: vocabulary)
        let descriptors = MoleculeDescriptors(elements: train.graphs.atomicNumbers.count, width: descriptorWidth)
        func rows(_ set: LabelledMolecules) throws -> [[Double]] {
            try descriptors.describe(set.graphs.batch(at: Array(0 ..< set.graphs.count)), featureWidth: set.graphs.featureWidth)
        }
        let (mean, scale) = train.labelMoments
        let standardise = { (labels: [Double]) in labels.map { ($0 - mean) / scale } }
        let fit = RidgeRegression.select(x: try rows(train), y: standardise(train.labels),
                                         validationX: try rows(valid), validationY: standardise(valid.labels))
        var model = try RidgePropertyModel(card: card(for: train, model: .ridge(descriptors, lambda: fit.lambda)),
                                           regression: fit, source: output)
        var card = model.card
        card.scores = try scores(of: model)
        model = try RidgePropertyModel(card: card, regression: fit, source: output)
        try PropertyModelFile.write(model, to: output)
        return Outcome(card: card, stepsTaken: 0, step: 0, interrupted: false)
    }
}
