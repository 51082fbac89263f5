import Diffusion

/// What a conditional model's card says of its condition: the properties, their
/// normalisation, the training objective's dropout and early stop, where the labels came
/// from, and the (size, property) pairs sampling draws from.
///
/// The network's condition is [ĉ_1 … ĉ_k, 1] with ĉ = (y − mean)/MAD (EDM's normalisation)
/// and an indicator channel 1 saying a condition is present; the null condition ∅ is all
/// zeros. Without the indicator, ∅ would be the same input as a target at the mean (ĉ = 0),
/// so the unconditional and the mean-conditioned model could not differ.
public struct ConditionCard: Sendable, Codable, Equatable {
    /// The dataset columns the model is conditioned on (`/properties` names), in order.
    public var properties: [String]
    public var normalization: ConditionNormalization
    /// Condition dropout p and early stop t0.
    public var training: ConditionalTraining
    public var labels: LabelProvenance
    public var reference: ConditionReference

    public init(properties: [String], normalization: ConditionNormalization, training: ConditionalTraining,
                labels: LabelProvenance, reference: ConditionReference) {
        precondition(properties.count == normalization.count && reference.width == properties.count,
                     "\(properties.count) properties, \(normalization.count) normalised, reference width \(reference.width)")
        self.properties = properties
        self.normalization = normalization
        self.training = training
        self.labels = labels
        self.reference = reference
    }

    /// The network's condition width: the properties and the indicator.
    public var width: Int { properties.count + 1 }

    /// The network's condition for `values` in data units: [ĉ …, 1].
    public func encode(_ values: [Double]) -> [Float] {
        normalization.normalized(values).map(Float.init) + [1]
    }

    /// The null condition ∅: zeros.
    public var null: [Float] { [Float](repeating: 0, count: width) }
}

/// Which labels a conditional model trained on (Yuan et al. 2023, Algorithm 1, steps 1–2):
/// a seeded share F of the training split kept its true labels, the rest was labelled
/// ŷ = f̂(x) + ξ, ξ ~ N(0, ν²), by the property models named.
public struct LabelProvenance: Sendable, Codable, Equatable {
    /// F in (0, 1].
    public var labelledFraction: Double
    /// ν per property, in the property's units.
    public var noise: [Double]
    /// The seed of the labelled share's draw and of ξ.
    public var seed: UInt64
    /// The property models f̂ (one per property; empty when F = 1).
    public var propertyModels: [String]
    /// Dataset indices of the molecules that kept true labels, ascending.
    public var labelledMolecules: [Int]
    /// Molecules of the training split.
    public var trainingMolecules: Int

    public init(labelledFraction: Double, noise: [Double], seed: UInt64, propertyModels: [String],
                labelledMolecules: [Int], trainingMolecules: Int) {
        self.labelledFraction = labelledFraction
        self.noise = noise
        self.seed = seed
        self.propertyModels = propertyModels
        self.labelledMolecules = labelledMolecules
        self.trainingMolecules = trainingMolecules
    }
}
