import Diffusion
import Foundation

/// Which kind of property model: a closed choice, one `PropertyPredictor` conformer each.
public enum PropertyArchitecture: String, Sendable, Codable, CaseIterable {
    /// `EGNNPropertyModel`: an E(3)-invariant EGNN regressor with a pooled head, trained by AdamW.
    case egnn
    /// `RidgePropertyModel`: ridge regression on invariant descriptors, fitted in closed form.
    case ridge
    /// `ShapeModel`: a PointNet classifier or regressor of point clouds (shape sets only).
    case pointnet
}

/// How well a property model predicts a held-out split, in the property's units.
public struct RegressionScore: Sendable, Codable, Equatable {
    public var split: String
    public var count: Int
    /// Mean absolute error.
    public var meanAbsoluteError: Double
    /// Coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)².
    public var rSquared: Double
}

/// Everything a property model file says besides its weights: the property, how labels were
/// standardised, the encoding of the graphs it reads, its network and, for a noise-aware model,
/// the forward process it was trained on. Stored as the model configuration of the `Checkpoint`
/// that holds the weights (so training resumes as `rgdm train` does).
public struct PropertyModelCard: Sendable, Codable, Equatable, FormattedCheckpointCard {
    /// Marks a checkpoint as a property model's.
    public static let format = "rgdm-property-model"
    static let kind = "property model", writer = "rgdm train-property"

    public var format = PropertyModelCard.format
    /// The `properties` column predicted (e.g. "Polarizability_bohr3").
    public var property: String
    /// The molecule set and split it was trained on.
    public var dataset: String
    public var split: String
    /// Labels are standardised as (y − mean) / scale (the training split's mean and standard deviation).
    public var labelMean: Double
    public var labelScale: Double
    /// The vocabulary: atomic numbers in one-hot order, and whether the atomic number is a feature too.
    public var atomicNumbers: [Int]
    public var includesAtomicNumber: Bool
    public var model: Model
    /// Scores on held-out splits, filled when training ends.
    public var scores: [RegressionScore] = []
    /// The training molecules' (atom count, label) pairs: gradient guidance toward a target a
    /// draws each molecule's size from the molecules labelled nearest a, as conditional sampling
    /// does (nil in files written before it was kept: sizes then come from the diffusion model).
    public var sizes: ConditionReference?

    /// The model and its settings: one case per architecture.
    public enum Model: Sendable, Codable, Equatable {
        /// An EGNN regressor; `noise` is the forward process of a noise-aware one (nil: trained on clean graphs).
        case egnn(EGNNRegressorConfiguration, noise: NoiseProcess?)
        /// Ridge regression on `descriptors`, with the regularisation `lambda` chosen on the validation split.
        case ridge(MoleculeDescriptors, lambda: Double)
    }

    /// The forward process of a noise-aware model: the diffusion model it guides must share it.
    public struct NoiseProcess: Sendable, Codable, Equatable {
        public var schedule: ScheduleKind
        public var timesteps: Int
        public var precision: Double

        public init(schedule: ScheduleKind, timesteps: Int, precision: Double) {
            self.schedule = schedule
            self.timesteps = timesteps
            self.precision = precision
        }

        func makeSchedule() throws -> any NoiseSchedule { try schedule.makeSchedule(timesteps: timesteps, precision: precision) }
    }

    public var architecture: PropertyArchitecture {
        switch model {
        case .egnn: .egnn
        case .ridge: .ridge
        }
    }

    /// The noise-aware model's process, nil for other models.
    public var noise: NoiseProcess? {
        if case let .egnn(_, noise) = model { return noise }
        return nil
    }

    /// EDM's molecule encoding over the vocabulary: one-hot / 4, atomic number / 10.
    public var scaling: FeatureScaling {
        get throws {
            var blocks = [FeatureScaling.Block(width: atomicNumbers.count, divisor: 4)]
            if includesAtomicNumber { blocks.append(.init(width: 1, divisor: 10)) }
            return try FeatureScaling(blocks: blocks)
        }
    }

    /// Node features F = |vocabulary| (+ 1 with the atomic number).
    public var featureWidth: Int { atomicNumbers.count + (includesAtomicNumber ? 1 : 0) }

    /// E.g. "EGNN regressor, 4 layers × 64, …, noise-aware (polynomial2, T = 1000)" or "ridge on 170 descriptors, λ = 0.1".
    public var modelDescription: String {
        switch model {
        case let .egnn(configuration, noise):
            configuration.summary + (noise.map { ", noise-aware (\($0.schedule.rawValue), T = \($0.timesteps))" } ?? "")
        case let .ridge(descriptors, lambda):
            "ridge regression on \(descriptors.count) descriptors (\(descriptors.summary)), λ = \(lambda)"
        }
    }

    init(property: String, dataset: String, split: String, labelMean: Double, labelScale: Double, atomicNumbers: [Int],
         includesAtomicNumber: Bool, model: Model) {
        self.property = property
        self.dataset = dataset
        self.split = split
        self.labelMean = labelMean
        self.labelScale = labelScale
        self.atomicNumbers = atomicNumbers
        self.includesAtomicNumber = includesAtomicNumber
        self.model = model
    }
}
