import Foundation
import PointCloud

/// A shape classifier's log-probability of one class, log p(c | cloud) ≤ 0: RGDM's shape
/// reward (a pretrained classifier's score of the target class). Higher is more like the class.
public struct ClassifierReward: Reward {
    public let model: ShapeModel
    public let category: String
    let index: Int

    /// Throws `PipelineError.invalidReward` when `model` is no classifier or knows no `category`.
    public init(model: ShapeModel, category: String) throws {
        guard let categories = model.card.categories else {
            throw PipelineError.invalidReward(specification: "class(\(category))", reason: "the model is a regressor of \(model.card.task.propertyName), not a classifier")
        }
        guard let index = categories.firstIndex(of: category) else {
            throw PipelineError.invalidReward(specification: "class(\(category))",
                                              reason: "the classifier knows \(categories.joined(separator: ", ")), not '\(category)'")
        }
        self.model = model
        self.category = category
        self.index = index
    }

    public var name: String { "class(\(category))" }
    public var dependsOnGraphOnly: Bool { false }

    public func score(_ clouds: [PointCloud]) -> [RewardOutcome] {
        let finite = clouds.map { $0.firstNonFiniteIndex == nil }
        let rows = (try? model.logProbabilities(clouds.enumerated().map { finite[$0] ? $1 : PointCloud(positions: [.zero]) })) ?? []
        return clouds.indices.map { i in
            guard finite[i], i < rows.count else { return .failure(.failed("the cloud has a non-finite coordinate")) }
            let value = rows[i][index]
            return value.isFinite ? .success(value) : .failure(.notFinite(value))
        }
    }
}
