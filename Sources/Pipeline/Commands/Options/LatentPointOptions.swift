import ArgumentParser
import Diffusion

/// Latent point diffusion's options: the networks, and training settings that a
/// resumed run keeps unless they are given.
struct LatentPointOptions: ParsableArguments {
    private static let defaults = LatentPointConfiguration()

    @Option(help: "Width Z of the shape latent.") var latentWidth = LatentPointOptions.defaults.latentWidth
    @Option(help: "The encoder's per-point widths (comma-separated).")
    var encoderWidths = LayerWidths(LatentPointOptions.defaults.encoderPointWidths)
    @Option(help: "The decoder's hidden widths.")
    var decoderWidths = LayerWidths(LatentPointOptions.defaults.decoderWidths)
    @Option(help: "The latent prior's hidden widths.")
    var priorWidths = LayerWidths(LatentPointOptions.defaults.priorWidths)
    @Option(help: ArgumentHelp("Points per cloud the decoder trains on in a step, drawn at random (default: \(LatentPointOptions.defaults.decoderPointsPerStep ?? 0); all when a cloud has fewer).",
                               discussion: "This, --prior-draws and --kl-weight are training settings: resuming keeps the run's own unless given."))
    var decoderPoints: Int?
    @Option(help: "Noise draws per latent in the prior's loss each step (default: 1).") var priorDraws: Int?
    @Option(help: ArgumentHelp("What steps train: joint (encoder, decoder and prior) or prior (the prior alone).",
                               discussion: "Default: joint; resuming keeps the run's own unless given. 'prior' is a cheap last phase that fits the prior to the settled encoder."))
    var phase: LatentTrainingPhase?
    @Option(help: ArgumentHelp("What the prior learns: sample (posterior samples z) or mean (posterior means μ).",
                               discussion: "Default: sample; resuming keeps the run's own unless given."))
    var priorTarget: LatentPriorTarget?
    @Option(help: "Weight β of KL(q(z | X) ‖ N(0, I)) (default: \(LatentPointOptions.defaults.klWeight)).")
    var klWeight: Double?

    func validate() throws {
        if latentWidth < 1 { throw ValidationError("--latent-width must be at least 1") }
        if let decoderPoints, decoderPoints < 1 { throw ValidationError("--decoder-points must be at least 1") }
        if let priorDraws, priorDraws < 1 { throw ValidationError("--prior-draws must be at least 1") }
        if let klWeight, !(klWeight >= 0 && klWeight.isFinite) { throw ValidationError("--kl-weight must be finite and ≥ 0") }
    }

    /// The networks given; training settings not given are `saved`'s (resuming), else the defaults.
    func configuration(saved: LatentPointConfiguration?) -> LatentPointConfiguration {
        let defaults = Self.defaults
        return LatentPointConfiguration(
            latentWidth: latentWidth, encoderPointWidths: encoderWidths.values, decoderWidths: decoderWidths.values,
            priorWidths: priorWidths.values,
            decoderPointsPerStep: decoderPoints ?? saved?.decoderPointsPerStep ?? defaults.decoderPointsPerStep,
            priorDrawsPerStep: priorDraws ?? saved?.priorDrawsPerStep, trainingPhase: phase ?? saved?.trainingPhase,
            priorTarget: priorTarget ?? saved?.priorTarget, klWeight: klWeight ?? saved?.klWeight ?? defaults.klWeight)
    }
}
