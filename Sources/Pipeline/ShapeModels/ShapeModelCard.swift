import Diffusion
import Foundation
import PointCloud

/// Everything a shape model file says besides its weights: the task (the categories of a
/// classifier, or the property and its standardisation of a regressor), the set and split it
/// trained on, the network, how clouds are prepared for it and how training augmented them,
/// and its held-out scores. Stored as the model configuration of the `Checkpoint` that holds the
/// weights, so a run resumes as `rgdm train` does.
public struct ShapeModelCard: Sendable, Codable, Equatable, FormattedCheckpointCard {
    /// Marks a checkpoint as a shape model's.
    public static let format = "rgdm-shape-model"
    static let kind = "shape model", writer = "rgdm train-property on a shape set"

    public var format = ShapeModelCard.format
    public var task: ShapeTask
    public var dataset: String
    public var split: String
    public var network: PointNetConfiguration
    public var augmentation: CloudAugmentation
    /// Points per cloud the model reads: larger clouds are thinned to it (`ShapeModel.prepare`).
    public var points: Int
    /// How every cloud is normalised before the model sees it (the training set's own normalisation).
    public var normalization: PointCloudNormalization
    /// Held-out scores, filled when training ends.
    public var scores: ShapeModelScores?

    public init(task: ShapeTask, dataset: String, split: String, network: PointNetConfiguration, augmentation: CloudAugmentation,
                points: Int, normalization: PointCloudNormalization) {
        self.task = task
        self.dataset = dataset
        self.split = split
        self.network = network
        self.augmentation = augmentation
        self.points = points
        self.normalization = normalization
    }

    /// The categories of a classifier, nil for a regressor.
    public var categories: [String]? {
        if case let .classification(categories) = task { return categories }
        return nil
    }

    /// E.g. "classifier of 5 categories (airplane, chair, …): PointNet 3→64→64→128, …; 1024 points, rotated about y".
    public var modelDescription: String {
        let what = switch task {
        case let .classification(categories): "classifier of \(categories.count) categories (\(categories.joined(separator: ", ")))"
        case let .regression(property, _, _): "regressor of \(property.rawValue)"
        }
        return "\(what): \(network.summary); \(points) points, \(normalization.rawValue)"
            + (augmentation.rotatesAboutUpAxis ? ", trained on copies rotated about y" : "")
    }

    /// Whether a run saved with `saved` can continue as this card describes (same task, network, data preparation).
    func continues(_ saved: ShapeModelCard) -> Bool {
        saved.task == task && saved.network == network && saved.augmentation == augmentation && saved.points == points
            && saved.normalization == normalization
    }
}
