/// Chamfer distance as PointFlow and Luo & Hu evaluate it: squared Euclidean distances to the
/// nearest neighbour, averaged over the points of each cloud, the two directions *added*:
///
///     CD(A, B) = mean_{a∈A} min_{b∈B} ‖a − b‖² + mean_{b∈B} min_{a∈A} ‖a − b‖²
///
/// (diffusion-point-cloud evaluation/evaluation_metrics.py: `dl.mean(dim=1) + dr.mean(dim=1)`).
///
/// Computed by blocked brute force: every pair's squared distance once, from differences (not
/// the ‖a‖² + ‖b‖² − 2a·b expansion, which loses the small nearest-neighbour distances to
/// cancellation), with row minima kept in registers and column minima in one array, 4 rows × 8
/// columns of SIMD at a time. O(N·M) time, O(M) extra memory (timings: the PointCloud README).
public enum ChamferDistance {
    /// The two directional means: (mean over A of the nearest squared distance in B,
    /// mean over B of the nearest squared distance in A).
    public static func directional(_ a: PackedPoints, _ b: PackedPoints) -> (aToB: Double, bToA: Double) {
        precondition(a.count > 0 && b.count > 0, "ChamferDistance: empty cloud (\(a.count) and \(b.count) points)")
        var rowMin = [Float](repeating: .infinity, count: a.paddedCount)
        var colMin = [Float](repeating: .infinity, count: b.paddedCount)
        nearestSquaredDistances(a, b, rowMin: &rowMin, colMin: &colMin)
        var sumA = 0.0, sumB = 0.0
        for i in 0 ..< a.count { sumA += Double(rowMin[i]) }
        for j in 0 ..< b.count { sumB += Double(colMin[j]) }
        return (sumA / Double(a.count), sumB / Double(b.count))
    }

    /// Mean Euclidean (not squared) nearest-neighbour distance in each direction. Their maximum
    /// is a lower bound on the EMD (every point travels at least to its nearest neighbour).
    public static func meanNearestDistances(_ a: PackedPoints, _ b: PackedPoints) -> (aToB: Double, bToA: Double) {
        precondition(a.count > 0 && b.count > 0, "ChamferDistance: empty cloud (\(a.count) and \(b.count) points)")
        var rowMin = [Float](repeating: .infinity, count: a.paddedCount)
        var colMin = [Float](repeating: .infinity, count: b.paddedCount)
        nearestSquaredDistances(a, b, rowMin: &rowMin, colMin: &colMin)
        var sumA = 0.0, sumB = 0.0
        for i in 0 ..< a.count { sumA += Double(rowMin[i]).squareRoot() }
        for j in 0 ..< b.count { sumB += Double(colMin[j]).squareRoot() }
        return (sumA / Double(a.count), sumB / Double(b.count))
    }

    /// CD(A, B): the two directional means added.
    public static func distance(_ a: PackedPoints, _ b: PackedPoints) -> Double {
        let (ab, ba) = directional(a, b)
        return ab + ba
    }

    /// For every row of `a` the squared distance to its nearest point of `b` (`rowMin`), and
    /// for every row of `b` the squared distance to its nearest point of `a` (`colMin`).
    /// Both arrays are padded; entries past the real counts are meaningless.
    static func nearestSquaredDistances(_ a: PackedPoints, _ b: PackedPoints, rowMin: inout [Float], colMin: inout [Float]) {
        typealias V = SIMD8<Float>
        let rows = a.paddedCount, cols = b.paddedCount
        a.x.withUnsafeBufferPointer { ax in a.y.withUnsafeBufferPointer { ay in a.z.withUnsafeBufferPointer { az in
        b.x.withUnsafeBufferPointer { bxs in b.y.withUnsafeBufferPointer { bys in b.z.withUnsafeBufferPointer { bzs in
        rowMin.withUnsafeMutableBufferPointer { rowMin in colMin.withUnsafeMutableBufferPointer { colMin in
            let bx = UnsafeRawPointer(bxs.baseAddress!), by = UnsafeRawPointer(bys.baseAddress!)
            let bz = UnsafeRawPointer(bzs.baseAddress!)
            let cm = UnsafeMutableRawPointer(colMin.baseAddress!)
            let stride = MemoryLayout<V>.stride
            var i = 0
            while i < rows {
                // Four rows of A against eight columns of B per step.
                let x0 = V(repeating: ax[i]), y0 = V(repeating: ay[i]), z0 = V(repeating: az[i])
                let x1 = V(repeating: ax[i + 1]), y1 = V(repeating: ay[i + 1]), z1 = V(repeating: az[i + 1])
                let x2 = V(repeating: ax[i + 2]), y2 = V(repeating: ay[i + 2]), z2 = V(repeating: az[i + 2])
                let x3 = V(repeating: ax[i + 3]), y3 = V(repeating: ay[i + 3]), z3 = V(repeating: az[i + 3])
                var r0 = V(repeating: .infinity), r1 = r0, r2 = r0, r3 = r0
                var offset = 0
                for _ in 0 ..< cols / 8 {
                    let px = bx.loadUnaligned(fromByteOffset: offset, as: V.self)
                    let py = by.loadUnaligned(fromByteOffset: offset, as: V.self)
                    let pz = bz.loadUnaligned(fromByteOffset: offset, as: V.self)
                    var dx = x0 - px, dy = y0 - py, dz = z0 - pz
                    let d0 = dx * dx + dy * dy + dz * dz
                    dx = x1 - px; dy = y1 - py; dz = z1 - pz
                    let d1 = dx * dx + dy * dy + dz * dz
                    dx = x2 - px; dy = y2 - py; dz = z2 - pz
                    let d2 = dx * dx + dy * dy + dz * dz
                    dx = x3 - px; dy = y3 - py; dz = z3 - pz
                    let d3 = dx * dx + dy * dy + dz * dz
                    r0 = r0.replacing(with: d0, where: d0 .< r0); r1 = r1.replacing(with: d1, where: d1 .< r1)
                    r2 = r2.replacing(with: d2, where: d2 .< r2); r3 = r3.replacing(with: d3, where: d3 .< r3)
                    let c = cm.loadUnaligned(fromByteOffset: offset, as: V.self)
                    let m01 = d0.replacing(with: d1, where: d1 .< d0), m23 = d2.replacing(with: d3, where: d3 .< d2)
                    let m = m01.replacing(with: m23, where: m23 .< m01)
                    cm.storeBytes(of: c.replacing(with: m, where: m .< c), toByteOffset: offset, as: V.self)
                    offset += stride
                }
                rowMin[i] = r0.min(); rowMin[i + 1] = r1.min(); rowMin[i + 2] = r2.min(); rowMin[i + 3] = r3.min()
                i += 4
            }
        }}}}}}}}
    }
}

extension PointCloud {
    /// Chamfer distance to `other` (squared distances, mean per direction, directions added).
    public func chamferDistance(to other: PointCloud) -> Double {
        ChamferDistance.distance(PackedPoints(self), PackedPoints(other))
    }
}
