import Diffusion
import Foundation
import PointCloud

/// A trained shape model (`rgdm train-property` on a shape set): its card, its PointNet and the
/// weights it predicts with. Clouds of any size and from any source go in; each is normalised as
/// the training set was and thinned to the model's point count (`prepare`), then scored in batches.
///
///     let model = try ShapeModel.open("classifier.rgdm")
///     let logP = try model.logProbabilities(clouds)     // [clouds][K], classes model.card.categories
public struct ShapeModel: Sendable {
    public let card: ShapeModelCard
    public let network: PointNet
    public let parameters: [Float]

    /// The model of `card` with `parameters` (from `source`, which errors name).
    public init(card: ShapeModelCard, parameters: [Float], source: String) throws {
        try card.network.validate()
        let network = PointNet(card.network)
        guard parameters.count == network.parameterCount else {
            throw PipelineError.invalidModel(path: source, reason: "\(parameters.count) weights for a network of \(network.parameterCount)")
        }
        self.card = card
        self.network = network
        self.parameters = parameters
    }

    /// The shape model at `path`: its EMA weights when it has them, else θ.
    public static func open(_ path: String) throws -> ShapeModel {
        let checkpoint = try TrainedModel.checkpoint(at: path)
        return try ShapeModel(card: ShapeModelCard(checkpoint: checkpoint, path: path),
                              parameters: checkpoint.state.ema?.weights ?? checkpoint.state.parameters, source: path)
    }

    /// `cloud` as the model reads it: normalised by the card's normalisation, then, when larger
    /// than `card.points`, thinned to that many points. The thinning is a seeded random subset of
    /// the points in lexicographic (x, y, z) order, so it depends on the points and not on their
    /// order: the model's output stays invariant to point order.
    public func prepare(_ cloud: PointCloud) -> PointCloud {
        let normalised = cloud.normalized(card.normalization)
        guard normalised.count > card.points else { return normalised }
        let p = normalised.positions
        let sorted = p.indices.sorted { a, b in
            (p[a].x, p[a].y, p[a].z) < (p[b].x, p[b].y, p[b].z)
        }
        var generator = Xoshiro256StarStar(seed: 0x5EED)
        var ranks = Array(sorted.indices)
        for k in 0 ..< card.points { ranks.swapAt(k, k + Int(generator.next(upperBound: UInt64(ranks.count - k)))) }
        return PointCloud(positions: ranks.prefix(card.points).sorted().map { p[sorted[$0]] })
    }

    /// The network's outputs for every cloud: `[clouds][K]`, in batches of `batchSize`.
    public func outputs(_ clouds: [PointCloud], batchSize: Int = 64) -> [[Float]] {
        var result: [[Float]] = []
        let workspace = PointNet.Workspace(), k = network.outputs
        for start in stride(from: 0, to: clouds.count, by: batchSize) {
            let prepared = clouds[start ..< min(start + batchSize, clouds.count)].map(prepare)
            network.forward(prepared.flatMap(\.flatPositions), layout: GraphLayout(nodeCounts: prepared.map(\.count)),
                            parameters: parameters, workspace: workspace)
            let y = workspace.output
            result += (0 ..< prepared.count).map { Array(y[($0 * k) ..< (($0 + 1) * k)]) }
        }
        return result
    }

    /// log p(class | cloud) for every cloud: `[clouds][K]`, classes in `card.categories` order.
    /// Throws for a regressor.
    public func logProbabilities(_ clouds: [PointCloud]) throws -> [[Double]] {
        guard let categories = card.categories else {
            throw PipelineError.invalidModel(path: card.dataset, reason: "a regressor of \(card.task.propertyName) gives no class probabilities")
        }
        return outputs(clouds).map { SoftmaxCrossEntropy.logProbabilities($0, classes: categories.count) }
    }

    /// The regressor's property for every cloud, in its units: `[clouds]`. Throws for a classifier.
    public func values(_ clouds: [PointCloud]) throws -> [Double] {
        guard case let .regression(_, mean, scale) = card.task else {
            throw PipelineError.invalidModel(path: card.dataset, reason: "a classifier predicts classes, not a value")
        }
        return outputs(clouds).map { Double($0[0]) * scale + mean }
    }

    /// Held-out scores of the model on `set`.
    func score(_ set: LabelledShapes) throws -> (classification: ClassificationScore?, regression: RegressionScore?) {
        switch card.task {
        case let .classification(categories):
            let predicted = try logProbabilities(set.clouds).map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
            return (ClassificationScore(split: set.split, categories: categories, truth: set.classes, predicted: predicted), nil)
        case let .regression(property, _, _):
            return (nil, RegressionScore(split: set.split, predictions: try values(set.clouds), labels: set.values(of: property)))
        }
    }
}
