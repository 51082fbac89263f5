import Diffusion

/// An E(3)-invariant EGNN regressor (`EGNNRegressor`) with its weights, as a property model:
/// graphs in data units are centred and scaled as the diffusion model's are, predicted at t = 0
/// and un-standardised. A noise-aware model (trained on z_t at random t) also guides sampling.
public final class EGNNPropertyModel: PropertyPredictor {
    public let card: PropertyModelCard
    public let regressor: EGNNRegressor
    public let parameters: [Float]
    let scaling: FeatureScaling
    let source: String

    init(card: PropertyModelCard, parameters: [Float], threads: Int, source: String) throws {
        guard case let .egnn(configuration, _) = card.model else {
            throw PipelineError.invalidModel(path: source, reason: "its card describes a \(card.architecture.rawValue) model, not egnn")
        }
        guard configuration.featureWidth == card.featureWidth else {
            throw PipelineError.invalidModel(path: source, reason: "its regressor reads \(configuration.featureWidth) features, its encoding has \(card.featureWidth)")
        }
        let regressor = EGNNRegressor(configuration, threads: threads)
        guard parameters.count == regressor.parameterCount else {
            throw PipelineError.invalidModel(path: source, reason: "\(parameters.count) weights for a regressor of \(regressor.parameterCount)")
        }
        self.card = card
        self.regressor = regressor
        self.parameters = parameters
        self.scaling = try card.scaling
        self.source = source
    }

    public var property: String { card.property }
    public var vocabulary: [Int] { card.atomicNumbers }

    public func predict(_ batch: GraphBatch) throws -> [Double] {
        var encoded = batch
        encoded.features = try PropertyModelInput.features(of: batch, card: card, path: source)
        return regressor.predict(encoded, scaling: scaling, parameters: parameters).map { $0 * card.labelScale + card.labelMean }
    }

    /// Gradient guidance toward `target` (property units) with weight w on the standardised
    /// scale: ε̂ ← ε̂ + σ_t w ∇ ½ (a′ − f(z_t, t))², a′ = (a − mean) / scale, each molecule's term
    /// capped at root mean square `maximumRMS` when given. Needs a noise-aware model.
    public func guidance(target: Double, weight: Double, maximumRMS: Double? = nil) throws -> PropertyGuidance<NoiseAwareRegressor> {
        try checkNoiseAware()
        return try guidance(.value((target - card.labelMean) / card.labelScale), weight: weight, maximumRMS: maximumRMS)
    }

    /// Gradient guidance of a conditional model, each molecule toward the value y_g it is drawn
    /// under: the network reads ĉ_g = (y_g − m)/MAD (`condition`'s normalisation), this model
    /// a′_g = (y_g − mean)/scale, so a′_g = (m − mean)/scale + (MAD/scale)·ĉ_g. Throws unless this
    /// is a noise-aware model of one of the condition's properties.
    public func guidance(towardConditionOf condition: ConditionCard, weight: Double,
                         maximumRMS: Double? = nil) throws -> PropertyGuidance<NoiseAwareRegressor> {
        try checkNoiseAware()
        guard let column = condition.properties.firstIndex(of: card.property) else {
            throw PipelineError.invalidModel(
                path: source, reason: "it predicts \(card.property); the model is conditioned on \(condition.properties.joined(separator: ", "))")
        }
        let mean = condition.normalization.means[column], deviation = condition.normalization.deviations[column]
        return try guidance(.condition(column: column, scale: deviation / card.labelScale, offset: (mean - card.labelMean) / card.labelScale),
                            weight: weight, maximumRMS: maximumRMS)
    }

    /// Throws unless this model was trained on noised molecules.
    private func checkNoiseAware() throws {
        guard card.noise != nil else {
            throw PipelineError.invalidModel(
                path: source, reason: "it was trained on clean molecules; guidance needs a noise-aware model (rgdm train-property --noise-aware)")
        }
    }

    /// Guidance toward `target` on the standardised scale.
    private func guidance(_ target: PropertyGuidance<NoiseAwareRegressor>.Target, weight: Double,
                          maximumRMS: Double?) throws -> PropertyGuidance<NoiseAwareRegressor> {
        try PropertyGuidance(property: NoiseAwareRegressor(regressor: regressor, parameters: parameters), target: target,
                             weight: weight, maximumRMS: maximumRMS)
    }
}
