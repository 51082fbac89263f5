import Diffusion
import Foundation
import PointCloud

extension RewardSpecification {
    /// The reward on point clouds this specification describes: shape terms, `command` (as
    /// `ShapeCommandReward`), and targets, windows and weighted sums of them. Throws
    /// `PipelineError.invalidReward` for a molecule term, a classifier that cannot be opened or
    /// knows no such class, or a target file that cannot be read.
    public func makeShapeReward(_ settings: RewardSettings = RewardSettings()) throws -> any Reward<PointCloud> {
        var classifiers: [String: ShapeModel] = [:]
        return try buildShape(settings, classifiers: &classifiers)
    }

    private func buildShape(_ settings: RewardSettings, classifiers: inout [String: ShapeModel]) throws -> any Reward<PointCloud> {
        switch self {
        case let .shape(term):
            return try term.makeReward(settings, classifiers: &classifiers)
        case .term(.command):
            guard let command = settings.command else {
                throw PipelineError.invalidReward(specification: description, reason: "the command term needs --reward-command PROG")
            }
            return try ShapeCommandReward(program: command, arguments: settings.commandArguments, timeout: settings.commandTimeout)
        case let .term(term):
            throw PipelineError.invalidReward(specification: description, reason: "\(term.rawValue) scores molecules, not shapes")
        case let .target(property, value):
            return TargetReward(try property.buildShape(settings, classifiers: &classifiers), target: value)
        case let .window(property, lower, upper):
            return WindowReward(try property.buildShape(settings, classifiers: &classifiers), lower: lower, upper: upper)
        case let .sum(terms):
            return WeightedSumReward(try terms.map { .init($0.weight, try $0.reward.buildShape(settings, classifiers: &classifiers)) })
        }
    }
}

extension ShapeRewardTerm {
    /// This term's reward; classifiers opened once per file (`classifiers`).
    func makeReward(_ settings: RewardSettings, classifiers: inout [String: ShapeModel]) throws -> any Reward<PointCloud> {
        func fail(_ reason: String) -> PipelineError { .invalidReward(specification: description, reason: reason) }
        switch self {
        case let .classLogProbability(category, model):
            guard let path = model ?? settings.classifier else {
                throw fail("name the classifier: --reward-classifier FILE or class(\(category), FILE)")
            }
            let classifier: ShapeModel
            if let opened = classifiers[path] {
                classifier = opened
            } else {
                do { classifier = try ShapeModel.open(path) } catch { throw fail("\(error)") }
                classifiers[path] = classifier
            }
            return try ClassifierReward(model: classifier, category: category)
        case let .chamfer(target):
            var generator = Xoshiro256StarStar(seed: 0)   // samples a mesh target's surface
            let set: PointCloudSet
            do { set = try ShapeFile.readClouds(target, using: &generator) } catch { throw fail("\(error)") }
            guard !set.clouds.isEmpty else { throw fail("\(target) holds no clouds") }
            return ChamferReward(targets: set.clouds, label: target)
        case let .aspect(x, y, z):
            return AspectReward(x: x, y: y, z: z)
        case let .symmetry(axis):
            return SymmetryReward(axis: axis)
        }
    }
}
