import ArgumentParser
import Cluster
import Diffusion
import Foundation

/// `rgdm train`: trains a diffusion model on a preprocessed dataset,
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

        Started by mpirun or srun (mpirun -np N rgdm train …), each of the N ranks computes the \
        gradient of its part of every batch (--batch stays the global batch), the gradients are \
        summed over the ranks and every rank takes the same step: the losses are those of one \
        process. Rank 0 alone writes the run folder, which every rank must see; a run resumes \
        on any number of ranks. See Sources/Cluster/README.md.
        """)

    @Argument(help: "HDF5 training set from 'rgdm preprocess'.")
    var dataset: String

    @Option(name: .shortAndLong, help: "Run directory (default: runs/<dataset name>).")
    var output: String?

    @Option(help: "Dataset split to train on: a stored split, or part K of N of one (train:1/2, train:2/2; EDM's conditional protocol trains the generator and the oracle on the two halves).")
    var split = "train"

    @Option(help: "Use only the first N graphs of the split.")
    var limit: Int?

    @OptionGroup var network: NetworkOptions

    @Option(help: ArgumentHelp("Start a new run from this checkpoint's weights (its EMA) for every network it shares with the model to train.",
                               discussion: "E.g. a trained encoder and decoder under a wider prior (--prior-widths), the rest initialised as usual; or a trained EGNN grown into one with more --layers and a larger --hidden that starts out computing exactly what it did."))
    var initializeFrom: String?

    @Option(help: "Total optimiser steps to reach (default: one epoch).") var steps: Int?
    @Option(help: "Total epochs to reach (instead of --steps).") var epochs: Double?

    @OptionGroup(title: "Optimisation") var optimizer: OptimizerOptions
    @OptionGroup(title: "Diffusion process") var diffusion: DiffusionOptions
    @OptionGroup(title: "Conditioning (molecules)") var conditioning: ConditionTrainingOptions
    @Flag(help: ArgumentHelp("Shapes: condition the latent prior on each shape's class (its category group), with --condition-dropout.",
                             discussion: "With --initialize-from an unconditional model of the same widths, its prior is widened: the class channels start at zero, so training starts from its prior. With --labelled-fraction F < 1 only a seeded share keeps its class; the rest take a classifier's most probable class (--property-model, or one trained on the share's latents)."))
    var classCondition = false

    @Option(help: "Save a checkpoint every N steps.") var checkpointEvery = 500
    @Option(help: "Write a log line every N steps.") var logEvery = 10

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if steps != nil && epochs != nil { throw ValidationError("give --steps or --epochs, not both") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let epochs, !(epochs > 0) { throw ValidationError("--epochs must be positive") }
        if checkpointEvery < 1 || logEvery < 1 { throw ValidationError("--checkpoint-every and --log-every must be at least 1") }
        try validateClassCondition()
    }

    func run() throws {
        Interruption.install()
        let job = try ClusterJob.join()
        do {
            try train(in: job)
            try job.finish()
        } catch where job.size > 1 {
            // Alone, this rank would leave the others waiting in the next all-reduce.
            FileHandle.standardError.write(Data("rgdm train: rank \(job.rank) of \(job.size): \(error)\n".utf8))
            job.abort(code: 1)
        }
    }

    private func train(in job: ClusterJob) throws {
        let data = try TrainingData.open(dataset, split: split, limit: limit)
        let directory = RunDirectory(URL(fileURLWithPath: output ?? "runs/\(URL(fileURLWithPath: dataset).deletingPathExtension().lastPathComponent)"))
        let saved = try directory.savedCard()
        let conditioned = try conditioning.prepare(data, dataset: dataset, seed: global.seed)
        var card = try ModelCard(for: data, network: conditioning.network(network.configuration(for: data, dataset: dataset, saved: saved),
                                                                          condition: conditioned?.card),
                                 schedule: diffusion.schedule, timesteps: diffusion.timesteps,
                                 schedulePrecision: diffusion.precision, dataset: dataset, split: split)
        card.condition = conditioned?.card
        let classed = try classConditioning(data, card: &card)
        let run = try TrainingRun(directory: directory, card: card, configuration: optimizer.configuration(seed: global.seed),
                                  changes: optimizer.changes, batchSizeGiven: optimizer.batch, datasetSize: data.source.count,
                                  threads: global.workerCount, initializeFrom: initializeFrom, communicator: job.communicator)
        if job.isPrimary { try directory.recordInvocation(command: "train", step: run.step) }

        let batchSize = run.trainer.configuration.batchSize
        let stepsPerEpoch = (data.source.count + batchSize - 1) / batchSize
        let target = steps ?? Int(((epochs ?? 1) * Double(stepsPerEpoch)).rounded(.up))
        if job.isPrimary { announce(run, data: data, target: target, ranks: job.size) }
        var progress = ProgressLine(label: "train", total: target - run.step)
        let loop = TrainingLoop(checkpointEvery: checkpointEvery, logEvery: logEvery,
                                shouldStop: { job.stopRequested(Interruption.requested) }) { report, recentLoss in
            if job.isPrimary { progress.advance(extra: String(format: "step %d loss %.4f", report.step, recentLoss)) }
        }
        var source = DatasetSteps(data: classed ?? conditioned?.data ?? data.source, batchSize: batchSize)
        let outcome: TrainingLoop.Outcome
        do {
            outcome = try loop.run(run, steps: &source, until: target)
        } catch DiffusionError.nonFiniteLoss(let step, let loss) {
            if job.isPrimary { progress.finish(extra: "diverged at step \(step)") }
            throw Divergence.training(step: step, loss: loss, directory: directory)
        }
        guard job.isPrimary else { return }
        progress.finish(extra: String(format: "step %d loss %.4f", run.step, run.meanRecentLoss))
        try RunReport.training(run, outcome: outcome).write(base: directory.reportBase)
        let rate = Double(outcome.stepsTaken * batchSize) / max(outcome.seconds, 1e-9)
        let status = outcome.interrupted ? "interrupted; run the same command to resume" : "done"
        print(String(format: "%@: step %d, recent loss %.5f, %.1f graphs/s over %.0f s, checkpoint %@",
                     status, run.step, outcome.meanRecentLoss, rate, outcome.seconds, directory.checkpointURL.path))
    }

    /// The run's first lines on stderr (rank 0 only).
    private func announce(_ run: TrainingRun, data: TrainingData, target: Int, ranks: Int) {
        FileHandle.standardError.write(Data("""
            rgdm train: \(data.source.count) \(run.card.domain.rawValue) (\(split)), \(run.card.modelDescription), \
            \(run.trainer.model.parameterCount) parameters, step \(run.step) → \(target), \
            \(ranks > 1 ? "\(ranks) ranks × " : "")\(global.workerCount) thread(s), run \(run.directory.url.path)\n
            """.utf8))
        if let from = run.card.initializedFrom, run.step == 0 {
            FileHandle.standardError.write(Data("rgdm train: initialised from \(from)\n".utf8))
        }
        if !run.resumeChanges.isEmpty {
            FileHandle.standardError.write(Data("rgdm train: resumed with \(run.resumeChanges.joined(separator: ", "))\n".utf8))
        }
    }
}
