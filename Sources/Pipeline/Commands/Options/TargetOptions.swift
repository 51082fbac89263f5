import ArgumentParser
import Diffusion
import Foundation

/// `rgdm sample --target A --guidance W --property-model P.rgdm`: gradient guidance of an
/// unconditional molecule model toward property value A by a noise-aware property model, as the
/// released code of reward-directed conditional diffusion samples (`PropertyGuidance`). --target and
/// --guidance are `ConditionOptions`' (shared with classifier-free guidance of conditional models);
/// a conditional model is guided toward each molecule's condition (`PropertyGuidanceOptions`).
struct TargetOptions: ParsableArguments {
    @OptionGroup var property: PropertyGuidanceOptions
    @Option(help: ArgumentHelp("Molecules: a property model (any, e.g. one trained on clean molecules) whose predictions for the samples the report gives, guided or not.",
                               discussion: "An oracle apart from the guiding model, which the guided chain may exploit."))
    var oracle: String?

    var propertyModel: String? { property.propertyModel }
    var guidanceClip: Double { property.guidanceClip }

    /// Whether the run is guided by a property model.
    var isGuided: Bool { propertyModel != nil }

    /// The --oracle model, nil without one.
    func oracleModel(threads: Int) throws -> (any PropertyPredictor & PropertyModelCarrier)? {
        try oracle.map { try PropertyModelFile.open($0, threads: threads) }
    }

    /// The guidance of this run for `model` toward `target` with weight `weight` (nil: 1), with
    /// the property model it uses; nil without --property-model.
    func guidance(for model: TrainedModel, target: Double?, weight: Double?, threads: Int) throws -> GuidedRun? {
        guard let propertyModel else { return nil }
        guard let target else { throw PipelineError.invalidCondition(reason: "--property-model guides toward a --target; give one") }
        let property = try self.property.guidingModel(propertyModel, for: model, threads: threads)
        let weight = weight ?? 1, cap = self.property.maximumRMS
        return GuidedRun(property: property, path: propertyModel, target: target, weight: weight, maximumRMS: cap,
                         guidance: try property.guidance(target: target, weight: weight, maximumRMS: cap))
    }
}

/// A sampling run guided toward a property value, for its report.
struct GuidedRun {
    let property: EGNNPropertyModel
    let path: String
    let target: Double
    let weight: Double
    /// The cap on each molecule's term (nil: uncapped).
    let maximumRMS: Double?
    let guidance: PropertyGuidance<NoiseAwareRegressor>

    /// Where the molecules' sizes come from: the property model's training molecules labelled
    /// nearest the target, when its file keeps them (nil: the diffusion model's histogram).
    var sizes: (reference: ConditionReference, target: Double, normalization: ConditionNormalization)? {
        guard let reference = property.card.sizes,
              let normalization = try? ConditionNormalization(means: [property.card.labelMean], deviations: [property.card.labelScale])
        else { return nil }
        return (reference, target, normalization)
    }

    /// "the 50 of 2510 training molecules of the property model labelled nearest the target" or
    /// "the diffusion model's training histogram".
    var sizeSource: String {
        guard let reference = property.card.sizes else { return "the diffusion model's training histogram" }
        return "the \(reference.neighbours) of \(reference.count) training molecules of the property model labelled nearest the target"
    }
}
