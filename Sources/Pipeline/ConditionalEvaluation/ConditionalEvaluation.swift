import Chem
import Diffusion

/// EDM's conditional evaluation (Hoogeboom et al. 2022, §5.2): molecules generated at targets
/// drawn from the data, scored by a property oracle; the figure is the MAE between each
/// molecule's target and the oracle's prediction for it, over every molecule the oracle reads
/// (EDM's EGNN oracle reads any geometry, so invalid molecules count too).
public struct ConditionalEvaluation {
    /// Where each molecule's (atom count, target) comes from.
    public enum Targets: Sendable, Equatable {
        /// Pairs drawn jointly from the model card's (size, label) pairs: the labels the model
        /// trained on, as EDM draws from its generator's training half.
        case reference
        /// Pairs drawn jointly from a split's true labels (`LabelledSplit`).
        case split
        /// One target for every molecule, the atom count drawn from the data near it.
        case fixed([Double])
    }

    public var targets: Targets
    /// Classifier-free guidance w ≥ 0.
    public var guidance: Double
    /// Gradient guidance added to the chain, each molecule toward its own target
    /// (`EGNNPropertyModel.guidance(towardConditionOf:weight:maximumRMS:)`); nil: none.
    public var steering: (any SamplingGuidance)?
    public var count: Int
    public var batchSize: Int

    public init(targets: Targets, guidance: Double = 0, steering: (any SamplingGuidance)? = nil, count: Int, batchSize: Int = 100) {
        self.targets = targets
        self.guidance = guidance
        self.steering = steering
        self.count = count
        self.batchSize = batchSize
    }

    /// A scored draw.
    public struct Outcome {
        /// Decoded in sampling order, each with SD fields "target_<property>" and "oracle_<property>".
        public var molecules: [Molecule]
        /// Each molecule's target of the oracle's property: `[count]`.
        public var targets: [Double]
        /// The oracle's prediction for each (nil: not read): `[count]`.
        public var predictions: [Double?]
        public var adherence: PropertyAdherence
        public var metrics: EDMMetrics
        public var draw: ConditionalSampling.Draw
    }

    /// Draws `count` molecules from `model` (a conditional model conditioned on the oracle's
    /// property) at the targets asked for, decodes them and scores them by `oracle` and by
    /// EDM's metrics (novelty against `reference` when given). `.split` draws from `data`.
    public func run(model: TrainedModel, oracle: PropertyOracle, data: LabelledSplit? = nil, sampling: SamplingSettings,
                    reference: Set<String>? = nil, using generator: inout some RandomNumberGenerator,
                    progress: (Int) -> Void = { _ in }) throws -> Outcome {
        guard let condition = model.card.condition else {
            throw PipelineError.invalidModel(path: model.source, reason: "it is unconditional: the conditional evaluation needs a model trained with --condition")
        }
        let column = try oracle.propertyIndex(in: condition, model: model.source)
        let request: ConditionalSampling.Request
        switch targets {
        case .reference: request = .fromData
        case .fixed(let values): request = .target(values)
        case .split:
            guard let data else { throw PipelineError.invalidCondition(reason: "targets from a split need a labelled split (--data)") }
            guard data.columns == condition.properties else {
                throw PipelineError.invalidDataset(path: data.path, reason: "its columns \(data.columns) are not the model's condition \(condition.properties)")
            }
            let pairs = data.drawPairs(count, using: &generator)
            request = .pairs(sizes: pairs.sizes, values: pairs.values)
        }
        let draw = try ConditionalSampling(request: request, guidance: guidance)
            .sample(from: model, count: count, batchSize: batchSize, sampling: sampling, steering: steering,
                    using: &generator, progress: progress)
        let targets = draw.targets.map { $0?[column] ?? .nan }
        let decoded = MoleculeCodec(card: model.card).molecules(from: draw.results)
        let predictions = try oracle.predictions(of: decoded)
        var evaluator = EDMEvaluator(reference: reference)
        for molecule in decoded { try evaluator.add(molecule) }
        let molecules = zip(draw.annotating(decoded), predictions).map { molecule, prediction in
            var annotated = molecule
            annotated.properties.append(Molecule.Property(name: "oracle_\(condition.properties[column])",
                                                          value: prediction.map { String($0) } ?? "unread"))
            return annotated
        }
        return Outcome(molecules: molecules, targets: targets, predictions: predictions,
                       adherence: PropertyAdherence(predictions: predictions, targets: targets),
                       metrics: evaluator.metrics, draw: draw)
    }
}
