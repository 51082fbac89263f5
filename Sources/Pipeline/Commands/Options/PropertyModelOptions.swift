import ArgumentParser
import Diffusion

/// The network and optimisation of an EGNN property model (`rgdm train-property --architecture egnn`); the
/// optimisation options serve a shape model too (`PointNetOptions`).
struct PropertyModelOptions: ParsableArguments {
    @Option(help: "Equivariant layers of the EGNN regressor.") var layers = 4
    @Option(help: "Hidden width of the EGNN regressor.") var hidden = 64
    @Option(help: "Extra node read-out channels K (node embeddings of width F + K are pooled).") var readout = 32
    @Option(help: "Hidden width of the pooled head's MLP.") var headHidden = 64
    @Option(help: "Pooling of node embeddings per molecule: sum (extensive properties) or mean.") var pooling = NodePooling.sum
    @Option(help: "Molecules (default 64) or clouds (default 32) per batch.") var batch: Int?
    @Option(help: "AdamW learning rate (default: 5e-4 for molecules, 1e-3 for shapes).") var learningRate: Float?
    @Option(help: ArgumentHelp("EMA decay of the weights used to predict; 0 turns it off.",
                               discussion: "The average starts from the initial weights: with 0.999, a run of 2,000 steps still holds 14 % of them."))
    var emaDecay: Float = 0.99
    @Option(help: "Total optimiser steps to reach (default: --epochs).") var steps: Int?
    @Option(help: "Total epochs to reach, when --steps is not given.") var epochs = 10.0
    @Option(help: "Save the run every N steps.") var checkpointEvery = 500

    func validate() throws {
        if layers < 1 || hidden < 1 || headHidden < 1 { throw ValidationError("--layers, --hidden and --head-hidden must be at least 1") }
        if readout < 0 { throw ValidationError("--readout must be at least 0") }
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let learningRate, !(learningRate.isFinite && learningRate > 0) { throw ValidationError("--learning-rate must be > 0") }
        if !(emaDecay >= 0 && emaDecay < 1) { throw ValidationError("--ema-decay must be in [0, 1)") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if !(epochs > 0) { throw ValidationError("--epochs must be positive") }
        if checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1") }
    }

    /// The settings for a new run seeded by `seed`, noise-aware on `noise` when given.
    func settings(seed: UInt64, noise: PropertyModelCard.NoiseProcess?) -> PropertyTraining.EGNNSettings {
        var settings = PropertyTraining.EGNNSettings()
        settings.layers = layers
        settings.hidden = hidden
        settings.readoutWidth = readout
        settings.headHidden = headHidden
        settings.pooling = pooling
        settings.noise = noise
        settings.trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: learningRate ?? 5e-4), emaDecay: emaDecay,
                                                batchSize: batch ?? 64, seed: seed)
        settings.steps = steps
        settings.epochs = epochs
        settings.checkpointEvery = checkpointEvery
        return settings
    }
}
