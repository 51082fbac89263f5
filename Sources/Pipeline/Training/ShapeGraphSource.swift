import Diffusion

/// Point clouds as diffusion graphs: N nodes per shape, no node features
/// (F = 0), translation symmetry with k-nearest-neighbour messages. Shapes are
/// canonically aligned, so the EGNN sees centred absolute positions.
public struct ShapeGraphSource: GraphDataSource, Sendable {
    /// All clouds: `[shapes, points, 3]`.
    public let points: [Float]
    public let pointCount: Int
    /// The shapes of this split: `[count]`.
    public let members: [Int]

    public init(points: [Float], pointCount: Int, members: [Int]? = nil, source: String) throws {
        guard pointCount > 0, points.count % (pointCount * 3) == 0 else {
            throw PipelineError.invalidDataset(path: source, reason: "\(points.count) values are not clouds of \(pointCount) points × 3")
        }
        let shapes = points.count / (pointCount * 3)
        if let bad = points.firstIndex(where: { !$0.isFinite }) {
            throw PipelineError.invalidDataset(path: source, reason: "shape \(bad / (pointCount * 3)) has a non-finite coordinate")
        }
        let members = members ?? Array(0 ..< shapes)
        if let bad = members.first(where: { !(0 ..< shapes).contains($0) }) {
            throw PipelineError.invalidDataset(path: source, reason: "member \(bad) is not a shape index (0..<\(shapes))")
        }
        self.points = points
        self.pointCount = pointCount
        self.members = members
    }

    public var count: Int { members.count }

    public func batch(at indices: [Int]) throws -> GraphBatch {
        let stride = pointCount * 3
        var x = [Float](); x.reserveCapacity(indices.count * stride)
        for i in indices {
            let s = members[i]
            x += points[(s * stride) ..< ((s + 1) * stride)]
        }
        return GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: pointCount, count: indices.count)),
                          positions: x, features: [])
    }
}
