import Diffusion
import Foundation
import PointCloud

/// Trains a latent property model (`LatentPropertyNetwork`: a classifier of the set's categories
/// or a regressor of a `ShapeProperty`) on the training split of a shape set, read through a
/// latent point model's frozen encoder, and scores it on the held-out splits: `rgdm
/// train-property --noise-aware --guides MODEL`'s work on shapes, with no printing.
///
/// Every training cloud is encoded once to its posterior mean μ (the latents a prior trained
/// with `--prior-target mean` models, and what `rgdm train --class-condition` trains on); a
/// noise-aware run then sees z_t = α_t μ + σ_t ε at random t of the prior's forward process.
/// Regression labels are computed from each cloud normalised by `labelNormalization` (the PointNet
/// regressors' default, so the units agree). AdamW to the target step, checkpointing to
/// `output`; a run found there resumes exactly.
public struct LatentPropertyTraining {
    public var dataset: String
    /// `ShapeTask.classProperty` for a classifier, else a `ShapeProperty` name.
    public var property: String
    public var output: String
    /// The latent point model whose latents the model reads.
    public var guides: TrainedModel
    /// Use only the first N clouds of each category and split.
    public var limit: Int?
    public var heldOut = ["val", "test"]
    public var labelNormalization = PointCloudNormalization.shapeUnit

    public init(dataset: String, property: String, output: String, guides: TrainedModel) {
        self.dataset = dataset
        self.property = property
        self.output = output
        self.guides = guides
    }

    /// How the network trains.
    public struct Settings {
        public var hidden = [256, 256]
        /// Train on latents noised by the prior's forward process at random t (false: t = 0 only).
        public var noiseAware = true
        public var trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 1e-3), emaDecay: 0.99, batchSize: 64)
        /// Total optimiser steps to reach; nil: `epochs` epochs.
        public var steps: Int?
        public var epochs = 20.0
        public var checkpointEvery = 500
        public var logEvery = 50

        public init() {}
    }

    /// What a run returns: the card as written (scores included) and whether it stopped early.
    public struct Outcome {
        public var card: LatentPropertyCard
        public var stepsTaken: Int
        public var step: Int
        public var interrupted: Bool
    }

    /// A split's latents (`[count, Z]`) and its clouds with their classes, normalised for labels.
    func encoded(split: String, categories: [String]?) throws -> (latents: [Float], labelled: LabelledShapes) {
        let raw = try LabelledShapes.open(dataset, split: split, normalization: .none, categories: categories, limit: limit)
        let latents = try guides.latentMeans(of: raw.clouds)
        let labelled = LabelledShapes(path: raw.path, split: split, categories: raw.categories,
                                      clouds: raw.clouds.map { $0.normalized(labelNormalization) }, classes: raw.classes)
        return (latents, labelled)
    }

    /// Trains (or resumes) the model at `output` to the target step, then scores it on the
    /// held-out splits and writes the card with its scores. `shouldStop` is asked before every
    /// step; `progress` is told each step's report, the target step and the mean recent loss.
    public func train(_ settings: Settings, shouldStop: () -> Bool = { Interruption.requested },
                      progress: (TrainingStepReport, Int, Double) -> Void = { _, _, _ in }) throws -> Outcome {
        guard let latent = guides.model as? LatentPointModel else {
            throw PipelineError.invalidModel(path: guides.source, reason: "latent property models read a latent point model's latents; this is \(guides.card.architecture.rawValue)")
        }
        let (latents, train) = try encoded(split: "train", categories: nil)
        guard train.count >= 2 else { throw PipelineError.invalidDataset(path: dataset, reason: "the 'train' split has \(train.count) clouds; at least 2 needed") }
        let task = try ShapeModelTraining(dataset: dataset, property: property, output: output).task(for: train)
        let network = LatentPropertyConfiguration(latentWidth: latent.latentWidth, hidden: settings.hidden, outputs: task.outputs)
        try network.validate()
        let noise = settings.noiseAware
            ? PropertyModelCard.NoiseProcess(schedule: guides.card.schedule, timesteps: guides.card.timesteps,
                                             precision: guides.card.schedulePrecision) : nil
        var card = LatentPropertyCard(task: task, dataset: dataset, split: "train", network: network, space: try LatentSpace(of: guides),
                                      labelNormalization: labelNormalization, noise: noise)
        let process = settings.noiseAware ? latent.latentProcess : nil
        let trainer: LatentPropertyTrainer
        if FileManager.default.fileExists(atPath: output) {
            let checkpoint = try TrainedModel.checkpoint(at: output)
            let saved = try LatentPropertyCard(checkpoint: checkpoint, path: output)
            guard card.continues(saved) else {
                throw PipelineError.invalidRun(
                    path: output, reason: "it holds another latent property model (\(saved.modelDescription)); use another --output or the same options, data and model")
            }
            card.scores = saved.scores
            trainer = try LatentPropertyTrainer(network: LatentPropertyNetwork(network), noise: process, resumingFrom: checkpoint, path: output)
        } else {
            trainer = try LatentPropertyTrainer(network: LatentPropertyNetwork(network), noise: process, configuration: settings.trainer,
                                                datasetSize: train.count)
        }
        let targets = task.targets(of: train)
        let target = ShapeTask.targetStep(steps: settings.steps, epochs: settings.epochs, examples: train.count,
                                          batchSize: trainer.configuration.batchSize)
        let log = try JSONLinesLog(url: URL(fileURLWithPath: OutputFile(path: output).sidecar(.log)))
        let first = trainer.state.step
        func save() throws { try trainer.checkpoint(modelConfiguration: card.encodedJSON()).write(to: URL(fileURLWithPath: output)) }
        let loop = SupervisedTrainingLoop(target: target, logEvery: settings.logEvery, checkpointEvery: settings.checkpointEvery, log: log)
        let interrupted = try loop.run(currentStep: { trainer.state.step }, step: { try trainer.step(on: latents, targets: targets) },
                                       recentLosses: { trainer.state.history.recentLosses }, save: save,
                                       shouldStop: shouldStop, progress: progress)
        if !interrupted {
            card.scores = try scores(of: LatentPropertyModel(card: card, parameters: trainer.predictionParameters, source: output))
            try log.append(["step": trainer.state.step, "event": "scores", "scores": card.scores?.summaries ?? []])
        }
        try save()
        return Outcome(card: card, stepsTaken: trainer.state.step - first, step: trainer.state.step, interrupted: interrupted)
    }

    /// Scores of `model` at t = 0 on the held-out splits the set has.
    func scores(of model: LatentPropertyModel) throws -> ShapeModelScores {
        var classification: [ClassificationScore] = [], regression: [RegressionScore] = []
        let categories: [String]? = if case let .classification(names) = model.card.task { names } else { nil }
        for split in heldOut where try LabelledShapes.hasSplit(dataset, split: split) {
            let (latents, set) = try encoded(split: split, categories: categories)
            switch model.card.task {
            case let .classification(names):
                classification.append(ClassificationScore(split: split, categories: names, truth: set.classes,
                                                          predicted: try model.classes(latents: latents)))
            case let .regression(property, _, _):
                regression.append(RegressionScore(split: split, predictions: try model.values(latents: latents), labels: set.values(of: property)))
            }
        }
        return categories == nil ? .regression(regression) : .classification(classification)
    }
}
