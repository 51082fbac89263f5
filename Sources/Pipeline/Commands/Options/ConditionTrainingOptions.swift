import ArgumentParser
import Diffusion

/// `rgdm train`'s conditioning options (molecules, EGNN): the properties, the condition
/// dropout, the early stop t0 and the pseudo-labels of reward-directed conditional diffusion.
struct ConditionTrainingOptions: ParsableArguments {
    @Option(name: .customLong("condition"), help: ArgumentHelp(
        "Condition on this dataset property (repeat for several): a /properties column or EDM's alpha, mu, homo, lumo, gap, Cv.",
        discussion: "The condition is (y − mean)/MAD over the training split's labels plus an indicator channel (1: present; all zeros is the null condition)."))
    var properties: [String] = []
    @Option(help: "Probability that a training molecule's condition is replaced by the null condition, so the model also samples unconditionally.")
    var conditionDropout = 0.1
    @Option(help: ArgumentHelp("Early stop t0: train the conditional score for t ≥ t0 only; sampling stops at t0.",
                               discussion: "Yuan et al. 2023, Algorithm 1. 0 is EDM's objective."))
    var t0 = 0
    @Option(help: "Share F of the training split that keeps its true labels (or, with --class-condition, classes), in (0, 1]; the rest is pseudo-labelled.")
    var labelledFraction = 1.0
    @Option(help: ArgumentHelp(
        "Property model f̂ for pseudo-labels when --labelled-fraction < 1: a file (rgdm train-property) or atom-count (repeat per property).",
        discussion: "atom-count fits EDM's #Atoms baseline on the labelled share: the mean label of labelled molecules with the same atom count. With --class-condition: a shape classifier (PointNet, or of latents); without one, an MLP on the latent means under --initialize-from's encoder is trained on the labelled share. Shapes get the classifier's most probable class."))
    var propertyModel: [String] = []
    @Option(help: "Noise ν of the pseudo-labels ŷ = f̂(x) + ξ, ξ ~ N(0, ν²), in the property's units (repeat per property).")
    var pseudoLabelNoise: [Double] = [0]

    func validate() throws {
        if !(conditionDropout.isFinite && conditionDropout >= 0 && conditionDropout < 1) {
            throw ValidationError("--condition-dropout must be in [0, 1)")
        }
        if t0 < 0 { throw ValidationError("--t0 must be at least 0") }
        if !(labelledFraction.isFinite && labelledFraction > 0 && labelledFraction <= 1) {
            throw ValidationError("--labelled-fraction must be in (0, 1], got \(labelledFraction)")
        }
        if pseudoLabelNoise.contains(where: { !($0.isFinite && $0 >= 0) }) { throw ValidationError("--pseudo-label-noise must be ≥ 0") }
        // Without --condition these options may serve --class-condition: TrainCommand checks.
        guard !properties.isEmpty else { return }
        if labelledFraction < 1, propertyModel.isEmpty {
            throw ValidationError("--labelled-fraction below 1 needs --property-model (a file, or atom-count) to pseudo-label the rest")
        }
    }

    /// The setup for a run seeded with `seed` (the labels draw from a stream of their own); nil without --condition.
    func setup(seed: UInt64) throws -> ConditionSetup? {
        guard !properties.isEmpty else { return nil }
        return ConditionSetup(properties: properties, training: try ConditionalTraining(dropout: conditionDropout, earlyStop: t0),
                              labelledFraction: labelledFraction, noise: pseudoLabelNoise,
                              propertyModels: propertyModel.map(PropertyModelSource.init(argument:)),
                              seed: seed ^ 0x6C61_6265_6C73)
    }
}

extension ConditionTrainingOptions {
    /// The conditioned training data and the card's condition, nil without --condition.
    func prepare(_ data: TrainingData, dataset: String, seed: UInt64) throws -> (card: ConditionCard, data: ConditionedGraphSource)? {
        guard let setup = try setup(seed: seed) else { return nil }
        guard case let .molecules(source) = data else {
            throw ValidationError("--condition conditions molecule models on dataset properties; \(dataset) holds shapes")
        }
        return try setup.prepare(dataset: dataset, source: source)
    }

    /// `network` with the condition's input channels: an EGNN of condition width k + 1.
    func network(_ network: AnyModelConfiguration, condition: ConditionCard?) throws -> AnyModelConfiguration {
        guard let condition else { return network }
        guard var egnn = network.as(EGNNConfiguration.self) else {
            throw ValidationError("--condition needs --architecture egnn, not \(network.architecture.rawValue)")
        }
        egnn.conditionWidth = condition.width
        return AnyModelConfiguration(egnn)
    }
}
