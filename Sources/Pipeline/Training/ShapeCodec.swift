import Diffusion
import PointCloud

/// Point clouds ↔ the graphs a shape model trains on and generates: positions
/// only, one node per point. Decoded samples re-encode into exactly the batch
/// a shape set of the same clouds gives (`ShapeGraphSource`).
public struct ShapeCodec: Sendable {
    public init() {}

    /// Every graph of `results` as a cloud.
    public func clouds(from results: [SampleResult]) -> [PointCloud] {
        results.flatMap { result in
            (0 ..< result.layout.graphCount).map { g in
                let nodes = result.layout.nodes(ofGraph: g)
                return PointCloud(flatPositions: Array(result.positions[(3 * nodes.lowerBound) ..< (3 * nodes.upperBound)]))
            }
        }
    }

    /// `clouds` as a training batch (`[points, 3]` positions, no features).
    public func batch(_ clouds: [PointCloud]) -> GraphBatch {
        GraphBatch(layout: GraphLayout(nodeCounts: clouds.map(\.count)),
                   positions: clouds.flatMap(\.flatPositions), features: [])
    }
}
