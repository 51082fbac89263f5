import Diffusion

/// Training molecules with a condition each: the batches of `base` with their rows of
/// `conditions` (`[count, width]`, the network's encoding of each molecule's label).
public struct ConditionedGraphSource: GraphDataSource, Sendable {
    public let base: MoleculeGraphSource
    public let conditions: [Float]
    public let width: Int

    public init(base: MoleculeGraphSource, conditions: [Float], width: Int) {
        precondition(width >= 1 && conditions.count == base.count * width,
                     "\(conditions.count) condition values for \(base.count) graphs × \(width)")
        self.base = base
        self.conditions = conditions
        self.width = width
    }

    public var count: Int { base.count }

    public func batch(at indices: [Int]) throws -> GraphBatch {
        var batch = try base.batch(at: indices)
        batch.condition = indices.flatMap { conditions[($0 * width) ..< (($0 + 1) * width)] }
        return batch
    }
}
