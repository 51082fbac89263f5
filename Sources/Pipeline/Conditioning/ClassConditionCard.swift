import Diffusion

/// What a class-conditional shape model's card says of its condition (`rgdm train
/// --class-condition`): the classes, in the order of their channels, and the condition dropout.
///
/// The prior's condition is [one-hot(class), 1]: K class channels and a presence channel, so
/// the null condition ∅ (all zeros, an unconditional draw) differs from every class.
public struct ClassConditionCard: Sendable, Codable, Equatable {
    /// The classes (the shape set's category groups, in name order).
    public var categories: [String]
    /// Condition dropout p (the early stop is not used).
    public var training: ConditionalTraining
    /// Where the classes came from when only a share of the training split kept its own
    /// (`--labelled-fraction`); nil: every shape's own class.
    public var labels: ClassLabelProvenance?

    public init(categories: [String], training: ConditionalTraining) {
        precondition(!categories.isEmpty, "a class condition needs at least one class")
        self.categories = categories
        self.training = training
    }

    /// K + 1.
    public var width: Int { categories.count + 1 }

    /// [one-hot(class), 1].
    public func encode(classIndex: Int) -> [Float] {
        precondition(categories.indices.contains(classIndex), "class \(classIndex) of \(categories.count)")
        var row = [Float](repeating: 0, count: width)
        row[classIndex] = 1
        row[categories.count] = 1
        return row
    }

    /// The row of the class named `name`; a typed error naming the classes the model knows.
    public func encode(_ name: String) throws -> [Float] {
        guard let index = categories.firstIndex(of: name) else {
            throw PipelineError.invalidCondition(
                reason: "the model knows the classes \(categories.joined(separator: ", ")); there is no class '\(name)'")
        }
        return encode(classIndex: index)
    }

    /// The null condition ∅: zeros.
    public var null: [Float] { [Float](repeating: 0, count: width) }
}

/// Training shapes with their class as the condition: `base`'s batches with each cloud's row
/// [one-hot(class), 1] of `card`.
public struct ClassConditionedShapes: GraphDataSource, Sendable {
    public let base: ShapeGraphSource
    /// The class of each shape of `base`: `[count]`, indices into `card.categories`.
    public let classes: [Int]
    public let card: ClassConditionCard

    public init(base: ShapeGraphSource, classes: [Int], card: ClassConditionCard) {
        precondition(classes.count == base.count, "\(classes.count) classes for \(base.count) shapes")
        self.base = base
        self.classes = classes
        self.card = card
    }

    public var count: Int { base.count }

    public func batch(at indices: [Int]) throws -> GraphBatch {
        var batch = try base.batch(at: indices)
        batch.condition = indices.flatMap { card.encode(classIndex: classes[$0]) }
        return batch
    }
}
