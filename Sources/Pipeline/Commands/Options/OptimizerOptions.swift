import ArgumentParser
import Diffusion

/// AdamW, the EMA and clipping: a new run's settings, or changes to a resumed run's.
struct OptimizerOptions: ParsableArguments {
    /// The optimisation settings of a new run where no option is given.
    static let defaults = TrainerConfiguration()

    @Option(help: "Graphs per batch (default: \(OptimizerOptions.defaults.batchSize); a resumed run needs its own, which fixes the data order).")
    var batch: Int?
    @Option(help: ArgumentHelp("AdamW learning rate (default: \(OptimizerOptions.defaults.optimizer.learningRate)).",
                               discussion: "Resuming keeps the run's own unless given; given, it applies from the resumed step on."))
    var learningRate: Float?
    @Option(help: "AdamW decoupled weight decay (default: \(OptimizerOptions.defaults.optimizer.weightDecay); resuming keeps the run's own unless given).")
    var weightDecay: Float?
    @Option(help: ArgumentHelp("EMA decay of the sampling weights; 0 turns it off (default: \(OptimizerOptions.defaults.emaDecay)).",
                               discussion: "Resuming keeps the run's own unless given; a new decay goes on from the saved average."))
    var emaDecay: Float?
    @Flag(help: "Turn off EDM's adaptive gradient clipping (also for the rest of a resumed run).") var noClipping = false

    func validate() throws {
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1") }
    }

    /// The settings given, as changes to a saved run's.
    var changes: TrainerConfiguration.Changes {
        TrainerConfiguration.Changes(learningRate: learningRate, weightDecay: weightDecay, emaDecay: emaDecay,
                                     clipsGradients: noClipping ? false : nil)
    }

    /// A new run's settings: the options given on top of the defaults, seeded by `seed`.
    func configuration(seed: UInt64) -> TrainerConfiguration {
        var configuration = Self.defaults.applying(changes).configuration
        configuration.seed = seed
        if let batch { configuration.batchSize = batch }
        return configuration
    }
}
