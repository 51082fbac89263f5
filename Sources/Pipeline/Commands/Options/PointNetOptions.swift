import ArgumentParser
import Diffusion

/// The network and data preparation of a shape model (`rgdm train-property` on a shape set).
/// Batch, learning rate, EMA, steps and epochs come from `PropertyModelOptions`.
struct PointNetOptions: ParsableArguments {
    private static let defaults = ShapeModelTraining.Settings()

    @Option(help: "Widths of the shared per-point layers (comma-separated).")
    var pointWidths = LayerWidths(PointNetOptions.defaults.pointWidths)
    @Option(help: "Widths of the head's hidden layers (comma-separated).")
    var headWidths = LayerWidths(PointNetOptions.defaults.headWidths)
    @Option(help: "Pooling of point features per cloud: max or max-mean (both, concatenated).")
    var pointPooling = PointNetOptions.defaults.pooling
    @Option(help: ArgumentHelp("Points per cloud the model reads.",
                               discussion: "Training draws that many of each cloud's points at random every step; scoring thins larger clouds to that many by a subset that ignores point order."))
    var points = PointNetOptions.defaults.points
    @Flag(inversion: .prefixedNo, help: ArgumentHelp("Train on copies rotated about the up axis y by random angles.",
                                                     discussion: "Shape sets are upright with arbitrary azimuth; with --no-rotate the model may read the azimuth."))
    var rotate = true
    @Option(help: "A noise-aware model of shape latents (--noise-aware --guides MODEL): widths of its MLP's hidden layers.")
    var latentWidths = LayerWidths(LatentPropertyTraining.Settings().hidden)

    func validate() throws {
        if points < 1 { throw ValidationError("--points must be at least 1") }
    }

    /// The settings of a new run seeded by `seed`, with the shared training options of `training`.
    func settings(seed: UInt64, training: PropertyModelOptions) -> ShapeModelTraining.Settings {
        var settings = ShapeModelTraining.Settings()
        settings.pointWidths = pointWidths.values
        settings.headWidths = headWidths.values
        settings.pooling = pointPooling
        settings.points = points
        settings.rotatesAboutUpAxis = rotate
        settings.trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: training.learningRate ?? 1e-3),
                                                emaDecay: training.emaDecay, batchSize: training.batch ?? 32, seed: seed)
        settings.steps = training.steps
        settings.epochs = training.epochs
        settings.checkpointEvery = training.checkpointEvery
        return settings
    }

    /// The settings of a latent property model seeded by `seed`, with the shared training options of `training`.
    func latentSettings(seed: UInt64, training: PropertyModelOptions) -> LatentPropertyTraining.Settings {
        var settings = LatentPropertyTraining.Settings()
        settings.hidden = latentWidths.values
        settings.trainer = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: training.learningRate ?? 1e-3),
                                                emaDecay: training.emaDecay, batchSize: training.batch ?? 64, seed: seed)
        settings.steps = training.steps
        settings.epochs = training.epochs
        settings.checkpointEvery = training.checkpointEvery
        return settings
    }
}
