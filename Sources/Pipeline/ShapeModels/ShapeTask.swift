import Diffusion

/// What a shape model predicts: one closed choice, one head each.
public enum ShapeTask: Sendable, Codable, Equatable {
    /// The category of a cloud among `categories` (the set's groups, in name order): K logits.
    case classification(categories: [String])
    /// A `ShapeProperty`, standardised as (y − mean) / scale by the training split's moments: one output.
    case regression(ShapeProperty, mean: Double, scale: Double)

    /// The network's outputs K.
    public var outputs: Int {
        switch self {
        case let .classification(categories): categories.count
        case .regression: 1
        }
    }

    /// "class" or the property's name (what `--property` takes).
    public var propertyName: String {
        switch self {
        case .classification: ShapeTask.classProperty
        case let .regression(property, _, _): property.rawValue
        }
    }

    /// What a network learns of `set` for this task: its classes, or the property standardised
    /// as the card stores it.
    func targets(of set: LabelledShapes) -> PointNetTargets {
        switch self {
        case .classification: .classes(set.classes)
        case let .regression(property, mean, scale): .values(set.values(of: property).map { ($0 - mean) / scale })
        }
    }

    /// Optimiser steps of a run: `steps` when given, else `epochs` passes over `examples` in
    /// batches of `batchSize` (a last short batch counting as one).
    static func targetStep(steps: Int?, epochs: Double, examples: Int, batchSize: Int) -> Int {
        steps ?? Int((epochs * Double((examples + batchSize - 1) / batchSize)).rounded(.up))
    }

    /// The `--property` that asks for a classifier.
    public static let classProperty = "class"
}
