import Diffusion
import Foundation
import PointCloud

/// Trains a shape model (a PointNet classifier of the set's categories, or a regressor of a
/// `ShapeProperty`) on the training split of a shape set and scores it on the held-out splits:
/// `rgdm train-property`'s work on shapes, with no printing. AdamW to the target step,
/// checkpointing to `output`; a run found there resumes exactly.
public struct ShapeModelTraining {
    public var dataset: String
    /// `ShapeTask.classProperty` for a classifier, else a `ShapeProperty` name.
    public var property: String
    public var output: String
    /// Use only the first N clouds of each category and split.
    public var limit: Int?
    /// Held-out splits scored when training ends (those the set has).
    public var heldOut = ["val", "test"]

    public init(dataset: String, property: String, output: String) {
        self.dataset = dataset
        self.property = property
        self.output = output
    }

    /// How the network trains.
    public struct Settings {
        public var pointWidths = [64, 64, 128], headWidths = [64]
        public var pooling = PointPooling.maxMean
        /// Points per cloud the model reads (training draws that many per step, at random).
        public var points = 1024
        public var rotatesAboutUpAxis = true
        public var normalization = PointCloudNormalization.shapeUnit
        public var trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 1e-3), emaDecay: 0.99, batchSize: 32)
        /// Total optimiser steps to reach; nil: `epochs` epochs.
        public var steps: Int?
        public var epochs = 10.0
        public var checkpointEvery = 500
        public var logEvery = 50

        public init() {}
    }

    /// What a run returns: the card as written (scores included) and whether it stopped early.
    public struct Outcome {
        public var card: ShapeModelCard
        public var stepsTaken: Int
        public var step: Int
        public var interrupted: Bool
    }

    /// The task `property` names on `train`.
    func task(for train: LabelledShapes) throws -> ShapeTask {
        if property == ShapeTask.classProperty {
            guard Set(train.classes).count >= 2 else {
                throw PipelineError.invalidDataset(path: dataset, reason: "a classifier needs clouds of at least two categories in 'train'")
            }
            return .classification(categories: train.categories)
        }
        guard let shapeProperty = ShapeProperty(rawValue: property) else {
            throw PipelineError.unknownProperty(path: dataset, property: property,
                                                available: [ShapeTask.classProperty] + ShapeProperty.allCases.map(\.rawValue))
        }
        let values = train.values(of: shapeProperty), n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let scale = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        guard scale > 0, scale.isFinite else {
            throw PipelineError.invalidDataset(path: dataset, reason: "\(property) takes a single value over the training clouds; nothing to learn")
        }
        return .regression(shapeProperty, mean: mean, scale: scale)
    }

    /// Trains (or resumes) the model at `output` to the target step, then scores it on the
    /// held-out splits and writes the card with its scores. `shouldStop` is asked before every
    /// step (true: save and stop); `progress` is told each step's report, the target step and
    /// the mean loss over the last steps.
    public func train(_ settings: Settings, shouldStop: () -> Bool = { Interruption.requested },
                      progress: (TrainingStepReport, Int, Double) -> Void = { _, _, _ in }) throws -> Outcome {
        let train = try LabelledShapes.open(dataset, split: "train", normalization: settings.normalization, limit: limit)
        guard train.count >= 2 else { throw PipelineError.invalidDataset(path: dataset, reason: "the 'train' split has \(train.count) clouds; at least 2 needed") }
        let task = try task(for: train)
        let network = PointNetConfiguration(pointWidths: settings.pointWidths, headWidths: settings.headWidths, outputs: task.outputs,
                                            pooling: settings.pooling)
        try network.validate()
        var card = ShapeModelCard(task: task, dataset: dataset, split: "train", network: network,
                                  augmentation: CloudAugmentation(points: settings.points, rotatesAboutUpAxis: settings.rotatesAboutUpAxis),
                                  points: settings.points, normalization: settings.normalization)
        let trainer: PointNetTrainer
        if FileManager.default.fileExists(atPath: output) {
            let checkpoint = try TrainedModel.checkpoint(at: output)
            let saved = try ShapeModelCard(checkpoint: checkpoint, path: output)
            guard card.continues(saved) else {
                throw PipelineError.invalidRun(
                    path: output, reason: "it holds another shape model (\(saved.modelDescription)); use another --output or the same options and data")
            }
            card.scores = saved.scores
            trainer = try PointNetTrainer(network: PointNet(network), augmentation: card.augmentation, resumingFrom: checkpoint, path: output)
        } else {
            trainer = try PointNetTrainer(network: PointNet(network), augmentation: card.augmentation, configuration: settings.trainer,
                                          datasetSize: train.count)
        }
        let targets = task.targets(of: train)
        let target = ShapeTask.targetStep(steps: settings.steps, epochs: settings.epochs, examples: train.count,
                                          batchSize: trainer.configuration.batchSize)
        let log = try JSONLinesLog(url: URL(fileURLWithPath: OutputFile(path: output).sidecar(.log)))
        let first = trainer.state.step
        func save() throws { try trainer.checkpoint(modelConfiguration: card.encodedJSON()).write(to: URL(fileURLWithPath: output)) }
        let loop = SupervisedTrainingLoop(target: target, logEvery: settings.logEvery, checkpointEvery: settings.checkpointEvery, log: log)
        let interrupted = try loop.run(currentStep: { trainer.state.step }, step: { try trainer.step(on: train, targets: targets) },
                                       recentLosses: { trainer.state.history.recentLosses }, save: save,
                                       shouldStop: shouldStop, progress: progress)
        if !interrupted {
            card.scores = try scores(of: ShapeModel(card: card, parameters: trainer.predictionParameters, source: output))
            try log.append(["step": trainer.state.step, "event": "scores", "scores": card.scores?.summaries ?? []])
        }
        try save()
        return Outcome(card: card, stepsTaken: trainer.state.step - first, step: trainer.state.step, interrupted: interrupted)
    }

    /// Scores of `model` on the held-out splits the set has.
    func scores(of model: ShapeModel) throws -> ShapeModelScores {
        var classification: [ClassificationScore] = [], regression: [RegressionScore] = []
        for split in heldOut where try LabelledShapes.hasSplit(dataset, split: split) {
            let set = try LabelledShapes.open(dataset, split: split, normalization: model.card.normalization,
                                              categories: model.card.categories, limit: limit)
            let score = try model.score(set)
            if let c = score.classification { classification.append(c) }
            if let r = score.regression { regression.append(r) }
        }
        return model.card.categories == nil ? .regression(regression) : .classification(classification)
    }
}
