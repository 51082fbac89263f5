import Diffusion
import Foundation

/// Everything needed to rebuild a trained model and decode its samples,
/// stored as the JSON `modelConfiguration` of every checkpoint: the network
/// (any architecture's `ModelConfiguration`), the diffusion process, the
/// node-count distribution and the domain's encoding (atom vocabulary or
/// point count). `ModelCard+Coding.swift` has the JSON layout.
public struct ModelCard: Sendable, Equatable {
    /// 1: `egnn` and optional `latentPoints` keys; 2: `network` with its architecture.
    public static let currentVersion = 2

    public var version = ModelCard.currentVersion
    public var domain: ModelDomain
    /// The network's architecture and hyper-parameters.
    public var network: AnyModelConfiguration
    public var scaling: FeatureScaling
    public var schedule: ScheduleKind
    public var timesteps: Int
    /// polynomial2's precision s (EDM: 1e-5).
    public var schedulePrecision: Double
    /// p(M): node counts of the training graphs (EDM §3.5).
    public var nodeCounts: NodeCountDistribution
    /// Molecules: the atom vocabulary, atomic numbers in one-hot order.
    public var atomicNumbers: [Int]
    /// Molecules: whether the atomic number is appended as a feature (EDM's "charges").
    public var includesAtomicNumber: Bool
    /// The training set (as given on the command line) and its split.
    public var dataset: String
    public var split: String
    /// The code version that trained it.
    public var codeVersion: String = RGDMVersion.string
    /// Where a run's starting weights came from, when not a fresh initialisation
    /// (`rgdm train --initialize-from`): "models/shapes-lp.rgdm (step 75000): encoder, decoder".
    public var initializedFrom: String?
    /// A conditional model's condition (`rgdm train --condition`); nil when unconditional.
    public var condition: ConditionCard?
    /// A class-conditional shape model's classes (`rgdm train --class-condition`); nil otherwise.
    public var classCondition: ClassConditionCard?
    /// The chain a policy-gradient fine-tuning (DDPO) trained: `rgdm sample`'s default for it.
    public var policyChain: PolicyChain?

    public init(domain: ModelDomain, network: some ModelConfiguration, scaling: FeatureScaling, schedule: ScheduleKind,
                timesteps: Int, schedulePrecision: Double, nodeCounts: NodeCountDistribution,
                atomicNumbers: [Int] = [], includesAtomicNumber: Bool = false, dataset: String, split: String) {
        self.init(domain: domain, network: AnyModelConfiguration(network), scaling: scaling, schedule: schedule,
                  timesteps: timesteps, schedulePrecision: schedulePrecision, nodeCounts: nodeCounts,
                  atomicNumbers: atomicNumbers, includesAtomicNumber: includesAtomicNumber, dataset: dataset, split: split)
    }

    public init(domain: ModelDomain, network: AnyModelConfiguration, scaling: FeatureScaling, schedule: ScheduleKind,
                timesteps: Int, schedulePrecision: Double, nodeCounts: NodeCountDistribution,
                atomicNumbers: [Int] = [], includesAtomicNumber: Bool = false, dataset: String, split: String) {
        self.domain = domain
        self.network = network
        self.scaling = scaling
        self.schedule = schedule
        self.timesteps = timesteps
        self.schedulePrecision = schedulePrecision
        self.nodeCounts = nodeCounts
        self.atomicNumbers = atomicNumbers
        self.includesAtomicNumber = includesAtomicNumber
        self.dataset = dataset
        self.split = split
    }

    public var architecture: ModelArchitecture { network.architecture }

    /// The noise schedule this card describes.
    public func makeSchedule() throws -> any NoiseSchedule {
        try schedule.makeSchedule(timesteps: timesteps, precision: schedulePrecision)
    }

    /// The model this card describes, using `threads` workers; a conditional one trains with
    /// its condition dropout and early stop.
    public func makeModel(threads: Int) throws -> any DiffusionModel {
        let model = try network.makeModel(schedule: makeSchedule(), scaling: scaling, threads: threads)
        if let classCondition {
            guard let conditional = model as? any ConditionalDiffusionModel, model.conditionWidth == classCondition.width else {
                throw PipelineError.invalidCondition(
                    reason: "a model conditioned on \(classCondition.categories.count) classes needs a prior of condition width \(classCondition.width); this is \(modelDescription) of condition width \(model.conditionWidth)")
            }
            conditional.conditionalTraining = classCondition.training
            return conditional
        }
        guard let condition else { return model }
        guard let conditional = model as? any ConditionalDiffusionModel, model.conditionWidth == condition.width else {
            throw PipelineError.invalidCondition(
                reason: "a model conditioned on \(condition.properties.joined(separator: ", ")) needs an EGNN with condition width \(condition.width); this is \(modelDescription) of condition width \(model.conditionWidth)")
        }
        conditional.conditionalTraining = condition.training
        return conditional
    }

    /// The model's hyper-parameters for `rgdm info`, reports and logs: (name, value) rows.
    public var modelRows: [(String, String)] { network.descriptionRows }

    /// The rows on one line: "architecture EGNN (EDM), layers × hidden 4 × 64, …".
    public var modelDescription: String { modelRows.map { "\($0.0) \($0.1)" }.joined(separator: ", ") }

    /// The model's hyper-parameters as JSON, with its parameter count.
    public func summary(parameters: Int) -> [String: Any] {
        network.summary.merging(["parameters": parameters]) { _, new in new }
    }

    /// Writes into `parameters` (this card's model, freshly initialised) the weights of
    /// every network that `source`'s model has too, given `sourceParameters`, and returns
    /// the names of the parts taken. Only models of the same domain whose node
    /// features mean the same (atom vocabulary, scaling) share weights.
    public func transferWeights(from source: ModelCard, parameters sourceParameters: [Float],
                                into parameters: inout [Float]) throws -> [String] {
        guard source.domain == domain, source.scaling == scaling, source.atomicNumbers == atomicNumbers,
              source.includesAtomicNumber == includesAtomicNumber else { return [] }
        return try network.transfer(from: source.network, parameters: sourceParameters, into: &parameters)
    }
}
