import Diffusion
import Foundation
import PointCloud

/// Where a class-conditional shape model's pseudo-labels come from (`rgdm train --class-condition
/// --labelled-fraction F [--property-model FILE]`): the classifier that labels the shapes outside
/// the labelled share, ŷ = argmax_k p(k | x) (the most probable class, not a draw from p).
public enum ClassLabelSource: Sendable, Equatable {
    /// A PointNet classifier (`rgdm train-property --property class`): reads the clouds.
    case shapeClassifier(path: String)
    /// A classifier of latents (`rgdm train-property --property class --noise-aware --guides`),
    /// read at t = 0 on the latent means under the initial model's encoder, which must be its.
    case latentClassifier(path: String)
    /// No file: an MLP classifier of latent means (`LatentPropertyNetwork` at t = 0) trained here
    /// on the labelled share alone, under the initial model's encoder (`--initialize-from`).
    case trainedOnLabelledShare

    /// A file's kind by its card; nil: `.trainedOnLabelledShare`.
    public init(path: String?) {
        guard let path else { self = .trainedOnLabelledShare; return }
        self = LatentPropertyModel.isStored(at: path) ? .latentClassifier(path: path) : .shapeClassifier(path: path)
    }

    /// The latent MLP trained on the labelled share: widths, steps and optimiser.
    public static let labelledShareNetwork = [256, 256]
    public static let labelledShareSteps = 600
    public static func labelledShareTrainer(seed: UInt64) -> TrainerConfiguration {
        TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 1e-3), emaDecay: 0.99, batchSize: 64, seed: seed)
    }

    /// How the card names it, with `encoder` the initial model's path.
    public func name(encoder: String?) -> String {
        switch self {
        case let .shapeClassifier(path): "\(path) (PointNet classifier of the clouds)"
        case let .latentClassifier(path): "\(path) (classifier of latent means at t = 0, encoder of \(encoder ?? "?"))"
        case .trainedOnLabelledShare:
            "MLP \(Self.labelledShareNetwork.map(String.init).joined(separator: "→")) on latent means under the encoder of \(encoder ?? "?"), "
                + "trained on the labelled share (\(Self.labelledShareSteps) steps)"
        }
    }

    /// The most probable class (an index into `categories`) of each cloud of `clouds` at
    /// `unlabelled`, given the true classes `labels` of the clouds at `labelled`. `encoder` is
    /// the initial latent point model (needed by the latent classifiers); `seed` seeds training.
    func classify(_ clouds: [PointCloud], categories: [String], labelled: [Int], labels: [Int], unlabelled: [Int],
                  encoder: TrainedModel?, seed: UInt64) throws -> [Int] {
        switch self {
        case let .shapeClassifier(path):
            let model = try ShapeModel.open(path)
            guard let names = model.card.categories else {
                throw PipelineError.invalidModel(path: path, reason: "it regresses \(model.card.task.propertyName); pseudo-labels need a classifier (--property class)")
            }
            let map = try Self.indices(of: names, in: categories, path: path)
            return try model.logProbabilities(unlabelled.map { clouds[$0] }).map { map[Self.argmax($0)] }
        case let .latentClassifier(path):
            let model = try LatentPropertyModel.open(path)
            guard case let .classification(names) = model.card.task else {
                throw PipelineError.invalidModel(path: path, reason: "it regresses \(model.card.task.propertyName); pseudo-labels need a classifier (--property class)")
            }
            let encoder = try Self.required(encoder, for: self)
            let space = try LatentSpace(of: encoder)
            guard space.sameLatents(as: model.card.space) else {
                throw PipelineError.invalidModel(path: path, reason: "it reads the latents of \(model.card.space.model); --initialize-from \(encoder.source) encodes otherwise")
            }
            let map = try Self.indices(of: names, in: categories, path: path)
            return try model.classes(latents: encoder.latentMeans(of: unlabelled.map { clouds[$0] })).map { map[$0] }
        case .trainedOnLabelledShare:
            let encoder = try Self.required(encoder, for: self)
            guard Set(labels).count >= 2 else {
                throw PipelineError.invalidCondition(reason: "the labelled share holds \(labels.count) shapes of \(Set(labels).count) class; a classifier needs two classes at least (raise --labelled-fraction)")
            }
            let latents = try encoder.latentMeans(of: labelled.map { clouds[$0] })
            let width = latents.count / max(labelled.count, 1)
            let network = LatentPropertyNetwork(LatentPropertyConfiguration(latentWidth: width, hidden: Self.labelledShareNetwork,
                                                                            outputs: categories.count))
            var configuration = Self.labelledShareTrainer(seed: seed)
            configuration.batchSize = min(configuration.batchSize, labelled.count)
            let trainer = try LatentPropertyTrainer(network: network, noise: nil, configuration: configuration, datasetSize: labelled.count)
            for _ in 0 ..< Self.labelledShareSteps { try trainer.step(on: latents, targets: .classes(labels)) }
            let y = network.outputs(try encoder.latentMeans(of: unlabelled.map { clouds[$0] }),
                                    time: [Float](repeating: 0, count: unlabelled.count), parameters: trainer.predictionParameters)
            let k = categories.count
            return (0 ..< unlabelled.count).map { Self.argmax(y[($0 * k) ..< (($0 + 1) * k)].map(Double.init)) }
        }
    }

    /// For each of a classifier's classes `names`, its index among `categories`; a typed error
    /// naming the file when it knows a class the set lacks, or lacks one the set has.
    static func indices(of names: [String], in categories: [String], path: String) throws -> [Int] {
        guard Set(names) == Set(categories) else {
            throw PipelineError.invalidModel(path: path, reason: "it classifies \(names.joined(separator: ", ")); the set's classes are \(categories.joined(separator: ", "))")
        }
        return names.map { categories.firstIndex(of: $0)! }
    }

    static func argmax(_ row: [Double]) -> Int { row.indices.max { row[$0] < row[$1] } ?? 0 }

    private static func required(_ encoder: TrainedModel?, for source: ClassLabelSource) throws -> TrainedModel {
        guard let encoder else {
            throw PipelineError.invalidCondition(reason: "pseudo-labels by a classifier of latents need the latents of an initial model: give --initialize-from MODEL, or --property-model a PointNet classifier")
        }
        return encoder
    }
}
