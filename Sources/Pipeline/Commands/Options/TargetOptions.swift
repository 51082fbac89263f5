import ArgumentParser
import Diffusion
import Foundation

/// `rgdm sample --target A --guidance W --property-model P.rgdm`: gradient guidance of an
/// unconditional molecule model toward property value A by a noise-aware property model, as the
/// released code of reward-directed conditional diffusion samples (`PropertyGuidance`).
struct TargetOptions: ParsableArguments {
    @Option(help: "Property value to steer samples toward (with --property-model: gradient guidance of an unconditional model).")
    var target: Double?
    @Option(help: ArgumentHelp("Guidance weight w ≥ 0 (default 1).",
                               discussion: "ε̂ ← ε̂ + σ_t w ∇ ½ (a′ − f(z_t, t))² at every network call, a′ and f on the property model's standardised scale (labels' mean and standard deviation)."))
    var guidance: Double?
    @Option(help: "A noise-aware property model (rgdm train-property --noise-aware) that guides the chain toward --target.")
    var propertyModel: String?
    @Option(help: ArgumentHelp("Cap on each molecule's guidance term, root mean square per component (ε̂'s own scale is 1); 0 leaves it uncapped, as published.",
                               discussion: "A learnt property model extrapolates (polarisability keeps rising as atoms move apart); uncapped, large weights pull some chains apart."))
    var guidanceClip = 1.0
    @Option(help: ArgumentHelp("Molecules: a property model (any, e.g. one trained on clean molecules) whose predictions for the samples the report gives, guided or not.",
                               discussion: "An oracle apart from the guiding model, which the guided chain may exploit."))
    var oracle: String?

    func validate() throws {
        if let target, !target.isFinite { throw ValidationError("--target must be a finite number") }
        if let guidance, !(guidance.isFinite && guidance >= 0) { throw ValidationError("--guidance must be a finite number ≥ 0") }
        if !(guidanceClip.isFinite && guidanceClip >= 0) { throw ValidationError("--guidance-clip must be a finite number ≥ 0") }
        if target == nil, guidance != nil || propertyModel != nil { throw ValidationError("--guidance and --property-model need --target") }
        if target != nil, propertyModel == nil {
            throw ValidationError("--target needs --property-model, a noise-aware property model that guides this unconditional model")
        }
    }

    /// The --oracle model, nil without one.
    func oracleModel(threads: Int) throws -> (any PropertyPredictor & PropertyModelCarrier)? {
        try oracle.map { try PropertyModelFile.open($0, threads: threads) }
    }

    /// Whether the run is guided.
    var isGuided: Bool { target != nil }

    /// The guidance of this run for `model`, with the property model it uses; nil without --target.
    func guidance(for model: TrainedModel, threads: Int) throws -> GuidedRun? {
        guard let target, let propertyModel else { return nil }
        guard let property = try PropertyModelFile.open(propertyModel, threads: threads) as? EGNNPropertyModel else {
            throw PipelineError.invalidModel(path: propertyModel, reason: "guidance needs a noise-aware EGNN property model, not ridge")
        }
        try property.checkGuides(model)
        let weight = guidance ?? 1, cap = guidanceClip > 0 ? guidanceClip : nil
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
}
