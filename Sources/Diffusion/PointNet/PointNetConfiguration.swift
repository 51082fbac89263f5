/// How per-point features become one vector per cloud in a `PointNet`.
public enum PointPooling: String, Sendable, Codable, CaseIterable {
    /// p = max_i f_i: PointNet's symmetric function (Qi et al. 2017, §4.2).
    case max
    /// p = [max_i f_i, mean_i f_i]: the max keeps the critical points, the mean the mass of
    /// the cloud (DGCNN concatenates both before its head; Wang et al. 2019, §4).
    case maxMean = "max-mean"
}

/// A PointNet's shape: widths of the shared per-point MLP, of the head, the outputs and the pooling.
///
///     PointNetConfiguration(pointWidths: [64, 64, 128], headWidths: [64], outputs: 5)   // 5 class logits
public struct PointNetConfiguration: Sendable, Codable, Equatable {
    /// Widths of the shared per-point layers after the 3 input coordinates, e.g. [64, 64, 128].
    public var pointWidths: [Int]
    /// Widths of the head's hidden layers between the pooled vector and the outputs.
    public var headWidths: [Int]
    /// K: logits of K classes, or 1 for a scalar regression.
    public var outputs: Int
    public var pooling: PointPooling

    public init(pointWidths: [Int] = [64, 64, 128], headWidths: [Int] = [64], outputs: Int, pooling: PointPooling = .maxMean) {
        self.pointWidths = pointWidths
        self.headWidths = headWidths
        self.outputs = outputs
        self.pooling = pooling
    }

    /// Throws `DiffusionError.invalidConfiguration` for empty or non-positive widths.
    public func validate() throws {
        guard !pointWidths.isEmpty, pointWidths.allSatisfy({ $0 > 0 }), headWidths.allSatisfy({ $0 > 0 }), outputs > 0 else {
            throw DiffusionError.invalidConfiguration(
                "PointNet widths: point \(pointWidths) (at least one, all > 0), head \(headWidths) (all > 0), outputs \(outputs) (> 0)")
        }
    }

    /// Width of the pooled vector: D, or 2 D with the mean beside the max.
    public var pooledWidth: Int { pointWidths[pointWidths.count - 1] * (pooling == .maxMean ? 2 : 1) }

    /// E.g. "PointNet 3→64→64→128, max-mean pooled, head 256→64→5".
    public var summary: String {
        "PointNet " + ([3] + pointWidths).map(String.init).joined(separator: "→") + ", \(pooling.rawValue) pooled, head "
            + ([pooledWidth] + headWidths + [outputs]).map(String.init).joined(separator: "→")
    }
}
