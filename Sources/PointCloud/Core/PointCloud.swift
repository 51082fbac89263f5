/// A 3D point cloud: positions [N, 3] with optional per-point normals [N, 3] and labels [N].
///
/// Positions are `Float`, the precision of every public point-cloud dataset. Stored as SIMD3
/// values (16-byte stride); `flatPositions` gives the packed [N*3] row-major form files use.
public struct PointCloud: Sendable, Equatable {
    /// positions: [N] of (x, y, z)
    public var positions: [SIMD3<Float>]
    /// normals: [N] of (nx, ny, nz), when the source had them.
    public var normals: [SIMD3<Float>]?
    /// Per-point labels (part segmentation), when the source had them.
    public var labels: [Int32]?

    public init(positions: [SIMD3<Float>], normals: [SIMD3<Float>]? = nil, labels: [Int32]? = nil) {
        precondition(normals.map { $0.count == positions.count } ?? true,
                     "PointCloud: \(normals?.count ?? 0) normals for \(positions.count) points")
        precondition(labels.map { $0.count == positions.count } ?? true,
                     "PointCloud: \(labels?.count ?? 0) labels for \(positions.count) points")
        self.positions = positions
        self.normals = normals
        self.labels = labels
    }

    /// A cloud from packed row-major coordinates [N*3] (and optional packed normals).
    public init(flatPositions: [Float], flatNormals: [Float]? = nil) {
        precondition(flatPositions.count % 3 == 0, "PointCloud: \(flatPositions.count) coordinates is not a multiple of 3")
        self.init(positions: Self.unpack(flatPositions), normals: flatNormals.map(Self.unpack))
    }

    /// Number of points.
    public var count: Int { positions.count }
    public var isEmpty: Bool { positions.isEmpty }

    /// Positions packed row-major: [N*3].
    public var flatPositions: [Float] { Self.pack(positions) }

    /// Normals packed row-major: [N*3].
    public var flatNormals: [Float]? { normals.map(Self.pack) }

    /// The points at `indices`, in that order (normals and labels follow).
    public func selecting(_ indices: [Int]) -> PointCloud {
        PointCloud(positions: indices.map { positions[$0] },
                   normals: normals.map { n in indices.map { n[$0] } },
                   labels: labels.map { l in indices.map { l[$0] } })
    }

    /// Smallest and largest coordinate on each axis (zeros for an empty cloud).
    public var boundingBox: (min: SIMD3<Float>, max: SIMD3<Float>) {
        guard var low = positions.first else { return (.zero, .zero) }
        var high = low
        for p in positions {
            low = pointwiseMin(low, p)
            high = pointwiseMax(high, p)
        }
        return (low, high)
    }

    /// Mean position, accumulated in Double.
    public var centroid: SIMD3<Float> {
        guard !positions.isEmpty else { return .zero }
        var sum = SIMD3<Double>.zero
        for p in positions { sum += SIMD3<Double>(p) }
        return SIMD3<Float>(sum / Double(positions.count))
    }

    /// Index of the first point with a NaN or infinite coordinate, if any.
    public var firstNonFiniteIndex: Int? {
        positions.firstIndex { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }
    }

    /// Throws `.nonFinite` naming `file` and the point if any coordinate is NaN or infinite.
    public func checkFinite(file: String) throws {
        if let index = firstNonFiniteIndex {
            throw PointCloudError.nonFinite(file: file, element: "point \(index) \(positions[index])")
        }
    }

    static func unpack(_ flat: [Float]) -> [SIMD3<Float>] {
        (0 ..< flat.count / 3).map { SIMD3(flat[3 * $0], flat[3 * $0 + 1], flat[3 * $0 + 2]) }
    }

    static func pack(_ points: [SIMD3<Float>]) -> [Float] {
        var flat = [Float]()
        flat.reserveCapacity(points.count * 3)
        for p in points { flat.append(p.x); flat.append(p.y); flat.append(p.z) }
        return flat
    }
}
