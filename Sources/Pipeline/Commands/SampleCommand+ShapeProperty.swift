import Diffusion
import Foundation
import PointCloud

/// What a property-guided shape run drew and what its report and summary say of it.
struct ShapeGuidanceOutcome {
    var results: [SampleResult]
    var json: [String: Any]
    var summary: String
}

extension SampleCommand {
    /// Gradient guidance of a latent point model by a noise-aware latent property model
    /// (--property-model): the prior's latent chain is guided toward --target (a regressor:
    /// ε̂ ← ε̂ + σ_t w ∇ ½ (a′ − f(z_t, t))²) or --class (a classifier: ε̂ ← ε̂ − σ_t w ∇ log p(c | z_t)),
    /// w = --guidance (default 1), each latent's term capped by --guidance-clip; the decoder then
    /// draws the points unguided. The summary gives the guiding model's reading of the final
    /// latents and, for a `ShapeProperty`, the property computed from the decoded clouds.
    func sampleShapesPropertyGuided(_ model: TrainedModel, settings: SamplingSettings, using generator: inout Xoshiro256StarStar,
                                    progress: (Int) -> Void) throws -> ShapeGuidanceOutcome {
        guard let latent = model.model as? LatentPointModel, let path = targeting.propertyModel else {
            throw PipelineError.invalidModel(path: self.model, reason: "property guidance of shapes steers latent point models; this is \(model.card.architecture.rawValue)")
        }
        let property = try LatentPropertyModel.open(path)
        try property.checkGuides(model)
        let weight = condition.guidance ?? 1, cap = targeting.guidanceClip > 0 ? targeting.guidanceClip : nil
        let prior = LatentPriorModel(latent)
        let latents: [SampleResult]
        var json: [String: Any] = ["property_model": path, "property": property.card.task.propertyName, "weight": weight,
                                   "cap_rms": cap ?? 0, "acts_on": "latent prior chain"]
        if let sampleClass {
            json["class"] = sampleClass
            latents = try prior.sample(count: count, batchSize: batch, guidance: property.guidance(class: sampleClass, weight: weight, maximumRMS: cap),
                                       parameters: model.parameters, sampling: settings, using: &generator, progress: progress)
        } else {
            guard let target = condition.target.first else {
                throw PipelineError.invalidCondition(reason: "--property-model guides toward a --target (a regressor) or a --class (a classifier); give one")
            }
            json["target"] = target
            latents = try prior.sample(count: count, batchSize: batch, guidance: property.guidance(target: target, weight: weight, maximumRMS: cap),
                                       parameters: model.parameters, sampling: settings, using: &generator, progress: progress)
        }
        let results = try prior.decode(latents, pointCount: model.card.nodeCounts.counts.last ?? 0, batchSize: batch,
                                       parameters: model.parameters, sampling: settings, using: &generator)
        let z = latents.flatMap(\.features)
        let head = String(format: "property guidance by %@ (w = %g%@): ", path, weight, cap.map { String(format: ", cap %g", $0) } ?? "")
        var summary: String
        switch property.card.task {
        case let .classification(categories):
            let predicted = try property.classes(latents: z)
            let index = sampleClass.flatMap { categories.firstIndex(of: $0) } ?? 0
            let share = Double(predicted.filter { $0 == index }.count) / Double(max(predicted.count, 1))
            json["guiding_model_class_share"] = share
            summary = head + String(format: "the guiding model assigns %.1f %% of the final latents (t = 0) to %@", 100 * share, categories[index])
        case let .regression(shapeProperty, _, _):
            let predicted = try property.values(latents: z)
            let clouds = ShapeCodec().clouds(from: results).map { shapeProperty.value(of: $0.normalized(property.card.labelNormalization)) }
            let (pm, ps) = Self.meanAndSpread(predicted), (cm, cs) = Self.meanAndSpread(clouds)
            json["guiding_model_mean"] = pm
            json["guiding_model_std"] = ps
            json["samples_\(shapeProperty.rawValue)_mean"] = cm
            json["samples_\(shapeProperty.rawValue)_std"] = cs
            summary = head + String(format: "target %@ = %g; the guiding model reads %.4g ± %.4g on the final latents (t = 0); "
                                    + "computed from the %d clouds (%@): %.4g ± %.4g",
                                    shapeProperty.rawValue, condition.target.first ?? .nan, pm, ps, clouds.count,
                                    property.card.labelNormalization.rawValue, cm, cs)
        }
        return ShapeGuidanceOutcome(results: results, json: json, summary: summary)
    }

    static func meanAndSpread(_ values: [Double]) -> (mean: Double, std: Double) {
        let n = Double(max(values.count, 1)), mean = values.reduce(0, +) / n
        return (mean, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot())
    }
}
