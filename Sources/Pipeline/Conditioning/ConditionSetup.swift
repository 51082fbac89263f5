import Diffusion
import HDF5

/// What `rgdm train --condition` asks for, and the work that turns a training split into
/// conditioned training data: read the properties, label the split (true labels for a
/// seeded share F, pseudo-labels ŷ = f̂(x) + ξ for the rest), fit EDM's normalisation to
/// the labels and keep the (size, label) pairs sampling draws from.
public struct ConditionSetup: Sendable {
    /// Dataset property names or EDM aliases ("alpha", "mu", …).
    public var properties: [String]
    public var training: ConditionalTraining
    public var labelledFraction: Double
    /// ν: one value for every property, or one per property.
    public var noise: [Double]
    /// f̂: one source for every property, or one per property (none when F = 1).
    public var propertyModels: [PropertyModelSource]
    public var seed: UInt64

    public init(properties: [String], training: ConditionalTraining, labelledFraction: Double = 1, noise: [Double] = [0],
                propertyModels: [PropertyModelSource] = [], seed: UInt64) {
        self.properties = properties
        self.training = training
        self.labelledFraction = labelledFraction
        self.noise = noise
        self.propertyModels = propertyModels
        self.seed = seed
    }

    /// The conditioned data and the card's condition for the molecules of `source`, the
    /// split read from the molecule set at `path`. Errors name `path` or the property model.
    public func prepare(dataset path: String, source: MoleculeGraphSource) throws
        -> (card: ConditionCard, data: ConditionedGraphSource)
    {
        let k = properties.count
        guard k >= 1 else { throw PipelineError.invalidCondition(reason: "name at least one property to condition on") }
        guard noise.count == 1 || noise.count == k else {
            throw PipelineError.invalidCondition(reason: "give one pseudo-label noise ν for all properties or one per property (\(k)), not \(noise.count)")
        }
        let file = try HDF5File(readingFrom: path)
        let (trueValues, columns) = try MoleculeDataset.readProperties(properties, molecules: source.members, from: file)
        let nu = noise.count == k ? noise : [Double](repeating: noise[0], count: k)
        let labelling = try PseudoLabelling(labelledFraction: labelledFraction, noise: nu, seed: seed)
        var predictors: [any PropertyPredictor] = [], models: [String] = []
        if labelledFraction < 1 {
            guard propertyModels.count == 1 || propertyModels.count == k else {
                throw PipelineError.invalidCondition(
                    reason: "a labelled fraction below 1 needs --property-model: one for all properties or one per property (\(k)); \(propertyModels.count) given")
            }
            let labelled = labelling.labelledPositions(count: source.count)
            let sizes = source.nodeCounts
            for p in 0 ..< k {
                let model = propertyModels.count == k ? propertyModels[p] : propertyModels[0]
                let predictor = try model.predictor(for: columns[p], vocabulary: source.atomicNumbers,
                                                    labelledSizes: labelled.map { sizes[$0] },
                                                    labelledValues: labelled.map { trueValues[$0 * k + p] })
                predictors.append(predictor)
                models.append(model.name)
            }
        }
        let labels = try labelling.labels(trueValues: trueValues, properties: columns, source: source,
                                          predictors: predictors, models: models, origin: path)
        let normalization: ConditionNormalization
        do {
            normalization = try ConditionNormalization(fitting: labels.values, properties: k)
        } catch let DiffusionError.invalidConfiguration(reason) {
            throw PipelineError.invalidDataset(path: path, reason: "the labels of \(columns.joined(separator: ", ")) cannot be normalised: \(reason)")
        }
        let card = ConditionCard(
            properties: columns, normalization: normalization, training: training,
            labels: LabelProvenance(labelledFraction: labelledFraction, noise: nu, seed: seed, propertyModels: models,
                                    labelledMolecules: labels.labelled.map { source.members[$0] },
                                    trainingMolecules: source.count),
            reference: ConditionReference(allSizes: source.nodeCounts, allValues: labels.values, seed: seed))
        let conditions = (0 ..< source.count).flatMap { card.encode(Array(labels.values[($0 * k) ..< (($0 + 1) * k)])) }
        return (card, ConditionedGraphSource(base: source, conditions: conditions, width: card.width))
    }
}
