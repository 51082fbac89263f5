import ArgumentParser
import Diffusion
import Foundation

/// `--property-model P [--property-weight W] [--guidance-clip C]`: a noise-aware property model
/// whose gradient guides a chain. An unconditional model is guided toward `--target` (weight
/// `--guidance`, `TargetOptions`); a conditional model toward the value each molecule is drawn
/// under, weight `--property-weight`, with `--guidance` left to classifier-free guidance.
struct PropertyGuidanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A noise-aware property model (rgdm train-property --noise-aware) whose gradient guides the chain: an unconditional model toward --target (--guidance: its weight w, default 1); a conditional model toward each molecule's own target (--property-weight).",
                               discussion: "Shapes: a model of a latent point model's latents (train-property --noise-aware --guides MODEL) guides the prior's chain toward --target, or a classifier toward --class."))
    var propertyModel: String?
    @Option(help: ArgumentHelp("With --property-model on a conditional model: the weight w of its gradient (--guidance stays classifier-free guidance's scale).",
                               discussion: "Conditioning and gradient guidance together, as energy-guided EDM (EEGSDE) samples: the condition sets the molecule's kind, the gradient pulls its property toward the target."))
    var propertyWeight = 1.0
    @Option(help: ArgumentHelp("With --property-model: a cap on each molecule's guidance term, root mean square per component (ε̂'s own scale is 1); 0 leaves it uncapped, as published.",
                               discussion: "A learnt property model extrapolates (polarisability keeps rising as atoms move apart); uncapped, large weights pull some chains apart."))
    var guidanceClip = 1.0

    func validate() throws {
        if !(guidanceClip.isFinite && guidanceClip >= 0) { throw ValidationError("--guidance-clip must be a finite number ≥ 0") }
        if !(propertyWeight.isFinite && propertyWeight >= 0) { throw ValidationError("--property-weight must be a finite number ≥ 0") }
    }

    /// The cap on each molecule's term; nil: uncapped.
    var maximumRMS: Double? { guidanceClip > 0 ? guidanceClip : nil }

    /// The guidance of a conditional model's chain toward each molecule's condition, with the
    /// property model's path; nil without --property-model.
    func steering(for model: TrainedModel, threads: Int) throws -> (guidance: PropertyGuidance<NoiseAwareRegressor>, path: String)? {
        guard let propertyModel else { return nil }
        guard let condition = model.card.condition else {
            throw PipelineError.invalidModel(path: model.source, reason: "it is unconditional; guide it toward --target with --guidance as the weight")
        }
        let property = try guidingModel(propertyModel, for: model, threads: threads)
        return (try property.guidance(towardConditionOf: condition, weight: propertyWeight, maximumRMS: maximumRMS), propertyModel)
    }

    /// The EGNN property model at `path`, checked to guide `model` (`EGNNPropertyModel.checkGuides`).
    func guidingModel(_ path: String, for model: TrainedModel, threads: Int) throws -> EGNNPropertyModel {
        guard let property = try PropertyModelFile.open(path, threads: threads) as? EGNNPropertyModel else {
            throw PipelineError.invalidModel(path: path, reason: "guidance needs a noise-aware EGNN property model, not ridge")
        }
        try property.checkGuides(model)
        return property
    }
}
