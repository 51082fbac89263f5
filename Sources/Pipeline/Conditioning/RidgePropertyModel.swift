import Diffusion

/// The simple baseline: ridge regression on `MoleculeDescriptors` (element counts, smeared
/// distance histograms and 1/d sums per element pair), fitted in closed form on standardised
/// labels, λ chosen on the validation split (`RidgeRegression`).
public struct RidgePropertyModel: PropertyPredictor {
    public let card: PropertyModelCard
    let descriptors: MoleculeDescriptors
    let regression: RidgeRegression
    /// Where the model came from, for errors.
    let source: String

    init(card: PropertyModelCard, regression: RidgeRegression, source: String) throws {
        guard case let .ridge(descriptors, _) = card.model else {
            throw PipelineError.invalidModel(path: source, reason: "its card describes a \(card.architecture.rawValue) model, not ridge")
        }
        self.card = card
        self.descriptors = descriptors
        self.regression = regression
        self.source = source
    }

    public var property: String { card.property }
    public var vocabulary: [Int] { card.atomicNumbers }

    public func predict(_ batch: GraphBatch) throws -> [Double] {
        let features = try PropertyModelInput.features(of: batch, card: card, path: source)
        var encoded = batch
        encoded.features = features
        return descriptors.describe(encoded, featureWidth: card.featureWidth).map {
            regression.predict($0) * card.labelScale + card.labelMean
        }
    }

    /// The fit as one flat vector, as a checkpoint stores weights: [w (D), μ (D), intercept].
    var parameters: [Float] {
        (regression.weights + regression.means + [regression.intercept]).map(Float.init)
    }

    /// The fit from `parameters` (the layout of `parameters`), λ from the card.
    static func regression(_ parameters: [Float], card: PropertyModelCard, path: String) throws -> RidgeRegression {
        guard case let .ridge(descriptors, lambda) = card.model, parameters.count == 2 * descriptors.count + 1 else {
            throw PipelineError.invalidModel(path: path, reason: "\(parameters.count) weights do not fit its ridge card")
        }
        let d = descriptors.count, values = parameters.map(Double.init)
        return RidgeRegression(weights: Array(values[0 ..< d]), means: Array(values[d ..< 2 * d]), intercept: values[2 * d],
                               lambda: lambda)
    }
}
