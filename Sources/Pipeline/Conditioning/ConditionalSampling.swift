import Chem
import Diffusion

/// What `rgdm sample` asks of a conditional model (Hoogeboom et al. 2022 §4; Yuan et al.
/// 2023, Algorithm 1 step 4), and the draw that answers it.
///
/// - `.target(a)`: every molecule under y = a (data units); its atom count drawn from the
///   sizes of the training molecules whose labels lie nearest a (`ConditionReference`'s
///   nearest-k rule), since p(M | y) is what EDM's joint draw would give at y = a.
/// - `.fromData`: (y, M) pairs drawn jointly from the training labels, as EDM does.
/// - `.unconditional`: the null condition ∅ and M from p(M), the model's unconditional part.
/// - `.pairs(sizes, values)`: one molecule per given (M, y) pair, in order (the conditional
///   evaluation draws them itself, from the card or from a held-out split).
///
/// With guidance w > 0, classifier-free guidance (`ClassifierFreeGuidance`). The chain
/// stops at the model's early stop t0.
public struct ConditionalSampling: Sendable {
    public enum Request: Sendable, Equatable {
        case unconditional
        case target([Double])
        case fromData
        /// Atom counts `[count]` and each molecule's values `[count][properties]`, data units.
        case pairs(sizes: [Int], values: [[Double]])
    }

    public var request: Request
    /// w ≥ 0.
    public var guidance: Double

    /// Throws `PipelineError.invalidCondition` for a target that is not finite or a negative w.
    public init(request: Request, guidance: Double = 0) throws {
        if case .target(let values) = request, let bad = values.first(where: { !$0.isFinite }) {
            throw PipelineError.invalidCondition(reason: "a target must be a finite number, not \(bad)")
        }
        if case .pairs(let sizes, let values) = request {
            guard sizes.count == values.count, sizes.allSatisfy({ $0 >= 1 }) else {
                throw PipelineError.invalidCondition(reason: "\(sizes.count) atom counts for \(values.count) targets (each count ≥ 1)")
            }
            if let bad = values.joined().first(where: { !$0.isFinite }) {
                throw PipelineError.invalidCondition(reason: "a target must be a finite number, not \(bad)")
            }
        }
        guard guidance.isFinite, guidance >= 0 else {
            throw PipelineError.invalidCondition(reason: "the guidance scale w must be finite and ≥ 0, got \(guidance)")
        }
        self.request = request
        self.guidance = guidance
    }

    /// The molecules' sizes, the network's conditions (`[count, width]`) and each molecule's
    /// target in data units (nil under ∅) for `count` draws from `card`'s model.
    public func plan(card: ModelCard, condition: ConditionCard, count: Int, path: String,
                     using generator: inout some RandomNumberGenerator) throws
        -> (nodeCounts: [Int], conditions: [Float], targets: [[Double]?])
    {
        switch request {
        case .unconditional:
            let sizes = card.nodeCounts.sample(count, using: &generator)
            return (sizes, Array([[Float]](repeating: condition.null, count: count).joined()), Array(repeating: nil, count: count))
        case .fromData:
            let pairs = condition.reference.drawPairs(count, using: &generator)
            return (pairs.map(\.size), pairs.flatMap { condition.encode($0.values) }, pairs.map(\.values))
        case .target(let values):
            guard values.count == condition.properties.count else {
                throw PipelineError.invalidCondition(
                    reason: "model \(path) is conditioned on \(condition.properties.joined(separator: ", ")): give \(condition.properties.count) target value(s), not \(values.count)")
            }
            let sizes = condition.reference.drawSizes(count, near: values, normalization: condition.normalization, using: &generator)
            return (sizes, Array([[Float]](repeating: condition.encode(values), count: count).joined()),
                    Array(repeating: values, count: count))
        case .pairs(let sizes, let values):
            guard sizes.count == count, values.allSatisfy({ $0.count == condition.properties.count }) else {
                throw PipelineError.invalidCondition(
                    reason: "model \(path) is conditioned on \(condition.properties.joined(separator: ", ")): give \(count) pairs of an atom count and \(condition.properties.count) value(s), not \(sizes.count)")
            }
            return (sizes, values.flatMap(condition.encode), values)
        }
    }

    /// The samples and the target each was drawn under (nil under ∅), in sampling order.
    public struct Draw {
        public var results: [SampleResult]
        public var targets: [[Double]?]
        public var condition: ConditionCard
        public var request: Request
        public var guidance: Double
    }

    /// Draws `count` graphs from `model`, a conditional model, by the reverse process
    /// `sampling` stopped at the model's t0, `steering` (nil: none) adding its term to ε̂ at
    /// every step: gradient guidance toward each molecule's own target
    /// (`EGNNPropertyModel.guidance(towardConditionOf:weight:maximumRMS:)`), EGNN models only.
    public func sample(from model: TrainedModel, count: Int, batchSize: Int, sampling: SamplingSettings,
                       steering: (any SamplingGuidance)? = nil,
                       using generator: inout some RandomNumberGenerator, progress: (Int) -> Void = { _ in }) throws -> Draw {
        guard let condition = model.card.condition, let conditional = model.model as? any ConditionalDiffusionModel else {
            throw PipelineError.invalidCondition(reason: Self.unconditionalModel(model.source))
        }
        if steering != nil, request == .unconditional {
            throw PipelineError.invalidCondition(reason: "property guidance of a conditional model steers toward its condition; an unconditional draw has none")
        }
        let plan = try self.plan(card: model.card, condition: condition, count: count, path: model.source, using: &generator)
        var settings = sampling
        settings.stop = condition.training.earlyStop
        do {
            let results: [SampleResult]
            if let steering {
                guard let graph = model.model as? EGNNModel else {
                    throw PipelineError.invalidModel(path: model.source, reason: "property guidance needs an EGNN model; this is \(model.card.architecture.rawValue)")
                }
                results = try graph.sample(nodeCounts: plan.nodeCounts, conditions: plan.conditions, guidance: guidance, steering: steering,
                                           batchSize: batchSize, parameters: model.parameters, sampling: settings,
                                           using: &generator, progress: progress)
            } else {
                results = try conditional.sample(nodeCounts: plan.nodeCounts, conditions: plan.conditions, guidance: guidance,
                                                 batchSize: batchSize, parameters: model.parameters, sampling: settings,
                                                 using: &generator, progress: progress)
            }
            return Draw(results: results, targets: plan.targets, condition: condition, request: request, guidance: guidance)
        } catch let DiffusionError.invalidConfiguration(reason) {
            throw PipelineError.invalidModel(path: model.source, reason: reason)
        }
    }

    /// The refusal of a target for an unconditional model.
    static func unconditionalModel(_ path: String) -> String {
        "model \(path) is unconditional: --target and --condition-from-data need a model trained with --condition, "
            + "or --property-model to guide an unconditional model by gradients"
    }
}

extension ConditionalSampling.Draw {
    /// `molecules` (decoded in sampling order) with each one's target as SD fields
    /// "target_<property>".
    public func annotating(_ molecules: [Molecule]) -> [Molecule] {
        zip(molecules, targets).map { molecule, target in
            guard let target else { return molecule }
            var annotated = molecule
            for (name, value) in zip(condition.properties, target) {
                annotated.properties.append(Molecule.Property(name: "target_\(name)", value: String(value)))
            }
            return annotated
        }
    }
}

extension SamplingSettings {
    /// These settings with the chain stopped at `t0` (a model's early stop), a default step
    /// count beyond T − t0 cut to T − t0 unless the steps were given (`keepingSteps`).
    public func stopping(at t0: Int, timesteps: Int, keepingSteps: Bool) -> SamplingSettings {
        var settings = self
        settings.stop = t0
        if !keepingSteps, let steps, steps > timesteps - t0 { settings.steps = timesteps - t0 }
        return settings
    }
}
