import Diffusion
import Foundation

extension PropertyTraining {
    /// How an EGNN property model trains.
    public struct EGNNSettings {
        public var layers = 4, hidden = 64, readoutWidth = 32, headHidden = 64
        public var pooling = NodePooling.sum
        /// The forward process of a noise-aware model (trained on z_t at random t); nil: clean graphs.
        public var noise: PropertyModelCard.NoiseProcess?
        /// A new run's optimiser settings (a resumed run keeps its own). The EMA starts from the
        /// initial weights, so its decay suits runs of thousands of steps, not EDM's 0.999.
        public var trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 5e-4), emaDecay: 0.99,
                                                  batchSize: 64)
        /// Total optimiser steps to reach; nil: `epochs` epochs.
        public var steps: Int?
        public var epochs = 10.0
        public var checkpointEvery = 500
        public var logEvery = 50

        public init() {}
    }

    /// Trains (or resumes) the EGNN property model at `output` to the target step, then scores it
    /// on the held-out splits and writes the card with its scores. `shouldStop` is asked before
    /// every step (true: save and stop); `progress` is told each step's report, the target step
    /// and the mean loss over the last steps.
    public func trainEGNN(_ settings: EGNNSettings, shouldStop: () -> Bool = { Interruption.requested },
                          progress: (TrainingStepReport, Int, Double) -> Void = { _, _, _ in }) throws -> Outcome {
        let train = try trainingSet()
        let configuration = EGNNRegressorConfiguration(
            featureWidth: train.graphs.featureWidth, layers: settings.layers, hidden: settings.hidden,
            readoutWidth: settings.readoutWidth, headHidden: settings.headHidden, pooling: settings.pooling)
        var card = card(for: train, model: .egnn(configuration, noise: settings.noise))
        let regressor = EGNNRegressor(configuration, threads: threads)
        let scaling = try card.scaling, schedule = try settings.noise?.makeSchedule()
        let trainer: RegressionTrainer
        if FileManager.default.fileExists(atPath: output) {
            let checkpoint = try TrainedModel.checkpoint(at: output)
            let saved = try PropertyModelCard(checkpoint: checkpoint, path: output)
            guard saved.property == card.property, saved.model == card.model, saved.atomicNumbers == card.atomicNumbers,
                  saved.labelMean == card.labelMean, saved.labelScale == card.labelScale else {
                throw PipelineError.invalidRun(
                    path: output, reason: "it holds another property model (\(saved.property): \(saved.modelDescription)); use another --output or the same options and data")
            }
            card.scores = saved.scores
            trainer = try RegressionTrainer(regressor: regressor, scaling: scaling, noise: schedule, resumingFrom: checkpoint,
                                            path: output)
        } else {
            trainer = try RegressionTrainer(regressor: regressor, scaling: scaling, noise: schedule,
                                            configuration: settings.trainer, datasetSize: train.graphs.count)
        }
        let batchSize = trainer.configuration.batchSize
        let target = settings.steps ?? Int((settings.epochs * Double((train.graphs.count + batchSize - 1) / batchSize)).rounded(.up))
        let log = try JSONLinesLog(url: URL(fileURLWithPath: OutputFile(path: output).sidecar(.log)))
        let standardised = train.labels.map { ($0 - card.labelMean) / card.labelScale }
        let first = trainer.state.step
        func save() throws { try trainer.checkpoint(modelConfiguration: card.encodedJSON()).write(to: URL(fileURLWithPath: output)) }
        let loop = SupervisedTrainingLoop(target: target, logEvery: settings.logEvery, checkpointEvery: settings.checkpointEvery, log: log)
        let interrupted = try loop.run(currentStep: { trainer.state.step }, step: { try trainer.step(on: train.graphs, targets: standardised) },
                                       recentLosses: { trainer.state.history.recentLosses }, save: save,
                                       shouldStop: shouldStop, progress: progress)
        if !interrupted {
            let model = try EGNNPropertyModel(card: card, parameters: trainer.predictionParameters, threads: threads, source: output)
            card.scores = try scores(of: model)
            try log.append(["step": trainer.state.step, "event": "scores",
                            "scores": card.scores.map { ["split": $0.split, "count": $0.count, "mae": $0.meanAbsoluteError,
                                                         "r2": $0.rSquared] as [String: Any] }])
        }
        try save()
        return Outcome(card: card, stepsTaken: trainer.state.step - first, step: trainer.state.step, interrupted: interrupted)
    }
}
