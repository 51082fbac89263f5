/// A batch of training graphs in data units, as a data source hands it over.
public struct GraphBatch: Sendable {
    public var layout: GraphLayout
    /// x: `[nodes, 3]`.
    public var positions: [Float]
    /// Raw node features (before `FeatureScaling`): `[nodes, F]`.
    public var features: [Float]
    /// Condition per graph: `[graphs, conditionWidth]`, empty when unconditional.
    public var condition: [Float]
    /// Per-graph loss weights w_i (RGDM's reward weights): `[graphs]`; nil means all 1.
    public var weights: [Float]?

    public init(layout: GraphLayout, positions: [Float], features: [Float],
                condition: [Float] = [], weights: [Float]? = nil) {
        self.layout = layout
        self.positions = positions
        self.features = features
        self.condition = condition
        self.weights = weights
    }

    /// The graphs in `graphs`, with their nodes, features, conditions and weights.
    public func slice(graphs: Range<Int>) -> GraphBatch {
        let nodes = layout.nodeOffsets[graphs.lowerBound] ..< layout.nodeOffsets[graphs.upperBound]
        let f = layout.nodeCount == 0 ? 0 : features.count / layout.nodeCount
        let c = layout.graphCount == 0 ? 0 : condition.count / layout.graphCount
        return GraphBatch(layout: layout.slice(graphs: graphs),
                          positions: Array(positions[(3 * nodes.lowerBound) ..< (3 * nodes.upperBound)]),
                          features: Array(features[(f * nodes.lowerBound) ..< (f * nodes.upperBound)]),
                          condition: Array(condition[(c * graphs.lowerBound) ..< (c * graphs.upperBound)]),
                          weights: weights.map { Array($0[graphs]) })
    }

    /// Throws `DiffusionError.invalidBatch` when a shape does not match.
    public func validate(featureWidth: Int, conditionWidth: Int) throws {
        let n = layout.nodeCount, g = layout.graphCount
        guard positions.count == n * 3 else {
            throw DiffusionError.invalidBatch("positions: \(positions.count) values for \(n) nodes × 3")
        }
        guard features.count == n * featureWidth else {
            throw DiffusionError.invalidBatch("features: \(features.count) values for \(n) nodes × \(featureWidth)")
        }
        guard condition.count == g * conditionWidth else {
            throw DiffusionError.invalidBatch("condition: \(condition.count) values for \(g) graphs × \(conditionWidth)")
        }
        if let weights {
            guard weights.count == g else {
                throw DiffusionError.invalidBatch("weights: \(weights.count) values for \(g) graphs")
            }
            if let bad = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw DiffusionError.invalidBatch("weight of graph \(bad) is \(weights[bad]); weights must be finite and ≥ 0")
            }
        }
        guard layout.nodeCounts.allSatisfy({ $0 >= 1 }) else {
            throw DiffusionError.invalidBatch("every graph needs at least one node: \(layout.nodeCounts)")
        }
    }
}

/// Where training graphs come from; the trainer asks for batches by index.
public protocol GraphDataSource {
    /// Number of training graphs.
    var count: Int { get }
    /// The graphs at `indices`, in that order.
    func batch(at indices: [Int]) throws -> GraphBatch
}
