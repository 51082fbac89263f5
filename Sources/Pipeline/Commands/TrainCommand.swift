import ArgumentParser
import Diffusion
import Foundation

/// `rgdm train`: trains an EGNN diffusion model on a preprocessed dataset,
/// resuming from the run directory's checkpoint when there is one.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an equivariant diffusion model on a molecule or shape dataset.",
        discussion: """
        The run directory holds checkpoint.rgdm, log.jsonl and run.json. Running the same \
        command again resumes from the checkpoint; Ctrl-C saves and stops.

        Molecules train EDM's EGNN (--architecture egnn). Shapes default to Luo & Hu's latent \
        point diffusion (--architecture latent-points): a PointNet encoder of each cloud, a \
        pointwise decoder conditioned on the shape latent and a diffusion prior over latents, \
        trained jointly; the shipped shapes model used --batch 32 --learning-rate 1e-3. An EGNN \
        on shapes works on k-nearest-neighbour graphs; with --pooling mean (the default for shapes) each layer's \
        node update also sees its graph's mean feature, a global context that k-nearest-\
        neighbour graphs of point clouds otherwise lack; molecules default to none (EDM's model).
        """)

    /// The optimisation settings of a new run where no option is given.
    static let defaults = TrainerConfiguration()

    @Argument(help: "HDF5 training set from 'rgdm preprocess'.")
    var dataset: String

    @Option(name: .shortAndLong, help: "Run directory (default: runs/<dataset name>).")
    var output: String?

    @Option(help: "Dataset split to train on.")
    var split = "train"

    @Option(help: "Use only the first N graphs of the split.")
    var limit: Int?

    @Option(help: ArgumentHelp("Network: egnn, or latent-points (shapes only).",
                               discussion: "Default: latent-points for shapes, egnn for molecules; when resuming, the run's own."))
    var architecture: ModelArchitecture?
    @Option(help: "latent-points: width Z of the shape latent.") var latentWidth = LatentPointConfiguration().latentWidth
    @Option(help: "latent-points: the encoder's per-point widths (comma-separated).")
    var encoderWidths = LayerWidths(LatentPointConfiguration().encoderPointWidths)
    @Option(help: "latent-points: the decoder's hidden widths.")
    var decoderWidths = LayerWidths(LatentPointConfiguration().decoderWidths)
    @Option(help: "latent-points: the latent prior's hidden widths.")
    var priorWidths = LayerWidths(LatentPointConfiguration().priorWidths)
    @Option(help: ArgumentHelp("latent-points: points per cloud the decoder trains on in a step, drawn at random (default: \(LatentPointConfiguration().decoderPointsPerStep ?? 0); all when a cloud has fewer).",
                               discussion: "This, --prior-draws and --kl-weight are training settings: resuming keeps the run's own unless given."))
    var decoderPoints: Int?
    @Option(help: "latent-points: noise draws per latent in the prior's loss each step (default: 1).") var priorDraws: Int?
    @Option(help: ArgumentHelp("latent-points: what steps train: joint (encoder, decoder and prior) or prior (the prior alone).",
                               discussion: "Default: joint; resuming keeps the run's own unless given. 'prior' is a cheap last phase that fits the prior to the settled encoder."))
    var phase: LatentTrainingPhase?
    @Option(help: ArgumentHelp("latent-points: what the prior learns: sample (posterior samples z) or mean (posterior means μ).",
                               discussion: "Default: sample; resuming keeps the run's own unless given."))
    var priorTarget: LatentPriorTarget?
    @Option(help: "latent-points: weight β of KL(q(z | X) ‖ N(0, I)) (default: \(LatentPointConfiguration().klWeight)).")
    var klWeight: Double?
    @Option(help: "EGNN layers.") var layers = 4
    @Option(help: "Hidden width.") var hidden = 64
    @Option(help: "Graphs per batch (default: \(TrainCommand.defaults.batchSize); a resumed run needs its own, which fixes the data order).") var batch: Int?
    @Option(help: "Neighbours per point for shapes (k-nearest-neighbour graph).") var neighbours = 16
    @Option(help: ArgumentHelp(
        "Global context in each node update: mean (each graph's mean feature) or none (EDM's model).",
        discussion: "Default: mean for shapes, none for molecules; when resuming, the run's own choice."))
    var pooling: GlobalPooling?

    @Option(help: ArgumentHelp("Start a new run from this checkpoint's weights (its EMA) for every network it shares with the model to train.",
                               discussion: "E.g. a trained encoder and decoder under a wider prior (--prior-widths), the rest initialised as usual; or a trained EGNN grown into one with more --layers and a larger --hidden that starts out computing exactly what it did."))
    var initializeFrom: String?

    @Option(help: "Total optimiser steps to reach (default: one epoch).") var steps: Int?
    @Option(help: "Total epochs to reach (instead of --steps).") var epochs: Double?

    @Option(help: ArgumentHelp("AdamW learning rate (default: \(TrainCommand.defaults.optimizer.learningRate)).",
                               discussion: "Resuming keeps the run's own unless given; given, it applies from the resumed step on."))
    var learningRate: Float?
    @Option(help: "AdamW decoupled weight decay (default: \(TrainCommand.defaults.optimizer.weightDecay); resuming keeps the run's own unless given).")
    var weightDecay: Float?
    @Option(help: ArgumentHelp("EMA decay of the sampling weights; 0 turns it off (default: \(TrainCommand.defaults.emaDecay)).",
                               discussion: "Resuming keeps the run's own unless given; a new decay goes on from the saved average."))
    var emaDecay: Float?
    @Flag(help: "Turn off EDM's adaptive gradient clipping (also for the rest of a resumed run).") var noClipping = false

    @Option(help: "Noise schedule.") var schedule: ScheduleKind = .polynomial2
    @Option(help: "Diffusion steps T.") var timesteps = 1000
    @Option(help: "Precision s of the polynomial schedule.") var precision = 1e-5

    @Option(help: "Save a checkpoint every N steps.") var checkpointEvery = 500
    @Option(help: "Write a log line every N steps.") var logEvery = 10

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if layers < 1 || hidden < 1 || (batch ?? 1) < 1 { throw ValidationError("--layers, --hidden and --batch must be at least 1") }
        if steps != nil && epochs != nil { throw ValidationError("give --steps or --epochs, not both") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let epochs, !(epochs > 0) { throw ValidationError("--epochs must be positive") }
        if timesteps < 2 { throw ValidationError("--timesteps must be at least 2") }
        if checkpointEvery < 1 || logEvery < 1 { throw ValidationError("--checkpoint-every and --log-every must be at least 1") }
        if neighbours < 1 { throw ValidationError("--neighbours must be at least 1") }
        if let decoderPoints, decoderPoints < 1 { throw ValidationError("--decoder-points must be at least 1") }
        if let priorDraws, priorDraws < 1 { throw ValidationError("--prior-draws must be at least 1") }
        if latentWidth < 1 { throw ValidationError("--latent-width must be at least 1") }
        if let klWeight, !(klWeight >= 0 && klWeight.isFinite) { throw ValidationError("--kl-weight must be finite and ≥ 0") }
    }

    func run() throws {
        Interruption.install()
        let data = try TrainingData.open(dataset, split: split, limit: limit)
        let directory = URL(fileURLWithPath: output ?? "runs/\(URL(fileURLWithPath: dataset).deletingPathExtension().lastPathComponent)")
        let saved = try Self.savedCard(in: directory)
        let card = try makeCard(for: data, pooling: pooling ?? saved?.egnn.globalPooling ?? data.domain.defaultGlobalPooling,
                                architecture: architecture ?? saved?.architecture ?? data.domain.defaultArchitecture,
                                savedLatent: saved?.latentPoints)
        // The options given, on top of the defaults for a new run and of the saved settings for a resumed one.
        let changes = TrainerConfiguration.Changes(learningRate: learningRate, weightDecay: weightDecay, emaDecay: emaDecay,
                                                   clipsGradients: noClipping ? false : nil)
        var trainerConfiguration = Self.defaults.applying(changes).configuration
        trainerConfiguration.seed = global.seed
        if let batch { trainerConfiguration.batchSize = batch }
        let run = try TrainingRun(directory: directory, card: card, configuration: trainerConfiguration, changes: changes,
                                  batchSizeGiven: batch, data: data.source, threads: global.workerCount,
                                  initializeFrom: initializeFrom)
        try RunRecord(command: "train").write(into: directory, name: "run-\(run.step).json")

        let stepsPerEpoch = (data.source.count + run.trainer.configuration.batchSize - 1) / run.trainer.configuration.batchSize
        let target = steps ?? Int(((epochs ?? 1) * Double(stepsPerEpoch)).rounded(.up))
        let parameters = run.trainer.objective.parameterCount
        FileHandle.standardError.write(Data("""
            rgdm train: \(data.source.count) \(card.domain.rawValue) (\(split)), \(card.modelRows.map { "\($0.0) \($0.1)" }.joined(separator: ", ")), \
            \(parameters) parameters, step \(run.step) → \(target), \(global.workerCount) thread(s), run \(directory.path)\n
            """.utf8))
        if let from = run.card.initializedFrom, run.step == 0 {
            FileHandle.standardError.write(Data("rgdm train: initialised from \(from)\n".utf8))
        }
        if !run.resumeChanges.isEmpty {
            FileHandle.standardError.write(Data("rgdm train: resumed with \(run.resumeChanges.joined(separator: ", "))\n".utf8))
        }
        let outcome = try run.train(until: target, checkpointEvery: checkpointEvery, logEvery: logEvery)
        try RunReport.training(run, outcome: outcome).write(base: directory.appendingPathComponent("report"))
        let rate = Double(outcome.stepsTaken * run.trainer.configuration.batchSize) / max(outcome.seconds, 1e-9)
        let status = outcome.interrupted ? "interrupted; run the same command to resume" : "done"
        print(String(format: "%@: step %d, recent loss %.5f, %.1f graphs/s over %.0f s, checkpoint %@",
                     status, run.step, outcome.meanRecentLoss, rate, outcome.seconds, run.checkpointURL.path))
    }

    /// The card of the model already in `directory`, if it holds a checkpoint, so that
    /// rerunning a command without --pooling or --architecture resumes the run it started.
    private static func savedCard(in directory: URL) throws -> ModelCard? {
        let url = TrainingRun.checkpointURL(in: directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try ModelCard(checkpoint: Checkpoint(contentsOf: url), path: url.path)
    }

    /// The card of the options given; a latent-points run's training settings not given are
    /// `savedLatent`'s (resuming), else the defaults.
    private func makeCard(for data: TrainingData, pooling: GlobalPooling, architecture: ModelArchitecture,
                          savedLatent: LatentPointConfiguration?) throws -> ModelCard {
        let defaults = LatentPointConfiguration()
        switch data {
        case .molecules where architecture == .latentPoints:
            throw ValidationError("--architecture latent-points generates shapes; \(dataset) holds molecules")
        case let .molecules(source):
            let egnn = EGNNConfiguration(featureWidth: source.featureWidth, layers: layers, hidden: hidden,
                                         globalPooling: pooling)
            return ModelCard(domain: .molecules, egnn: egnn, scaling: try source.scaling, schedule: schedule,
                             timesteps: timesteps, schedulePrecision: precision,
                             nodeCounts: try NodeCountDistribution(observedCounts: source.nodeCounts),
                             atomicNumbers: source.atomicNumbers, includesAtomicNumber: source.includesAtomicNumber,
                             dataset: dataset, split: split)
        case let .shapes(source):
            let egnn = EGNNConfiguration(featureWidth: 0, layers: layers, hidden: hidden, symmetry: .translation,
                                         connectivity: .nearestNeighbours(k: neighbours), globalPooling: pooling)
            return ModelCard(domain: .shapes, egnn: egnn, scaling: .identity(width: 0), schedule: schedule,
                             timesteps: timesteps, schedulePrecision: precision,
                             nodeCounts: try NodeCountDistribution(observedCounts: [source.pointCount]),
                             dataset: dataset, split: split,
                             latentPoints: architecture == .latentPoints
                                 ? LatentPointConfiguration(latentWidth: latentWidth, encoderPointWidths: encoderWidths.values,
                                                            decoderWidths: decoderWidths.values, priorWidths: priorWidths.values,
                                                            decoderPointsPerStep: decoderPoints ?? savedLatent?.decoderPointsPerStep ?? defaults.decoderPointsPerStep,
                                                            priorDrawsPerStep: priorDraws ?? savedLatent?.priorDrawsPerStep,
                                                            trainingPhase: phase ?? savedLatent?.trainingPhase,
                                                            priorTarget: priorTarget ?? savedLatent?.priorTarget,
                                                            klWeight: klWeight ?? savedLatent?.klWeight ?? defaults.klWeight) : nil)
        }
    }
}
