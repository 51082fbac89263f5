import Foundation

/// What a point-cloud model's training does to each cloud of a batch before the network sees
/// it, drawn from the trainer's generator (so a resumed run draws the same):
///
/// - `points`: a random subset of that many points per cloud (clouds with fewer keep all):
///   cheaper steps, and a model that does not rely on any one point;
/// - `rotatesAboutUpAxis`: a rotation by θ ~ U[0, 2π) about y, the up axis of ShapeNet and of
///   the procedural shapes. Shape sets are upright but their azimuth is arbitrary (a chair
///   facing −z and one facing +x are both chairs), so the model should not read the azimuth:
///   it learns to ignore it from rotated copies rather than by construction.
public struct CloudAugmentation: Sendable, Codable, Equatable {
    public var points: Int?
    public var rotatesAboutUpAxis: Bool

    public init(points: Int? = nil, rotatesAboutUpAxis: Bool = true) {
        self.points = points
        self.rotatesAboutUpAxis = rotatesAboutUpAxis
    }

    /// The augmented clouds of `positions` `[points, 3]` laid out by `layout`.
    public func apply<G: RandomNumberGenerator>(_ positions: [Float], layout: GraphLayout,
                                                using generator: inout G) -> (positions: [Float], layout: GraphLayout) {
        var counts: [Int] = [], result: [Float] = []
        result.reserveCapacity(positions.count)
        for g in 0 ..< layout.graphCount {
            let nodes = layout.nodes(ofGraph: g)
            var chosen = Array(nodes)
            if let points, points < nodes.count {
                // partial Fisher–Yates: the first `points` of a random permutation
                for k in 0 ..< points { chosen.swapAt(k, k + Int(generator.next(upperBound: UInt64(chosen.count - k)))) }
                chosen.removeLast(chosen.count - points)
            }
            let (c, s) = rotatesAboutUpAxis ? Self.cosineSine(Double.random(in: 0 ..< 2 * .pi, using: &generator)) : (1, 0)
            for i in chosen {
                let x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2]
                result += [c * x + s * z, y, -s * x + c * z]                  // R_y(θ) x
            }
            counts.append(chosen.count)
        }
        return (result, GraphLayout(nodeCounts: counts))
    }

    /// Every point of `positions` `[points, 3]` rotated by `angle` about y.
    public static func rotatedAboutUpAxis(_ positions: [Float], angle: Double) -> [Float] {
        let (c, s) = cosineSine(angle)
        var result = positions
        for i in 0 ..< positions.count / 3 {
            let x = positions[3 * i], z = positions[3 * i + 2]
            result[3 * i] = c * x + s * z
            result[3 * i + 2] = -s * x + c * z
        }
        return result
    }

    private static func cosineSine(_ angle: Double) -> (Float, Float) { (Float(Foundation.cos(angle)), Float(Foundation.sin(angle))) }
}
