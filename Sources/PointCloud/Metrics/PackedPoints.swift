/// A cloud's coordinates laid out for the distance kernels: separate x, y, z arrays
/// (structure of arrays), padded to a multiple of `PackedPoints.padding` with far-away sentinel
/// points that never win a nearest-neighbour search against real points.
public struct PackedPoints: Sendable {
    /// Rows the kernels process at once; counts are padded up to a multiple of this.
    public static let padding = 8
    /// Sentinel coordinate for padding rows (squared distances stay far below Float.max).
    static let sentinel: Float = 1e8

    public let count: Int
    let x: [Float], y: [Float], z: [Float]

    public init(_ cloud: PointCloud) {
        self.init(cloud.positions)
    }

    public init(_ points: [SIMD3<Float>]) {
        count = points.count
        let padded = (points.count + Self.padding - 1) / Self.padding * Self.padding
        var x = [Float](repeating: Self.sentinel, count: padded)
        var y = x, z = x
        for (i, p) in points.enumerated() { x[i] = p.x; y[i] = p.y; z[i] = p.z }
        self.x = x; self.y = y; self.z = z
    }

    var paddedCount: Int { x.count }

    func point(_ i: Int) -> SIMD3<Float> { SIMD3(x[i], y[i], z[i]) }
}
