extension TriangleMesh {
    /// `count` points on the surface, area-weighted: each point picks a triangle with probability
    /// proportional to its area (inverse-CDF on the cumulative areas), then a uniform point in it
    /// by the square-root barycentric map (Osada et al. 2002, eq. 1):
    /// `p = (1 − √r₁) a + √r₁ (1 − r₂) b + √r₁ r₂ c`. Each point carries its triangle's unit normal.
    /// Throws `.empty` when the mesh has no triangles or zero area; `file` names it in errors.
    public func sampleSurface(count: Int, file: String = "mesh", using generator: inout some RandomNumberGenerator) throws -> PointCloud {
        precondition(count >= 0, "sampleSurface: negative count \(count)")
        guard !triangles.isEmpty else { throw PointCloudError.empty(file: file, reason: "the mesh has no faces") }
        if let index = firstNonFiniteVertex {
            throw PointCloudError.nonFinite(file: file, element: "vertex \(index)")
        }
        let areas = triangleAreas
        var cumulative = [Double](repeating: 0, count: areas.count)
        var total = 0.0
        for (i, area) in areas.enumerated() { total += area; cumulative[i] = total }
        guard total > 0, total.isFinite else { throw PointCloudError.empty(file: file, reason: "the mesh's surface area is zero") }
        var positions = [SIMD3<Float>](), normals = [SIMD3<Float>]()
        positions.reserveCapacity(count)
        normals.reserveCapacity(count)
        for _ in 0 ..< count {
            let target = Double.random(in: 0 ..< total, using: &generator)
            var low = 0, high = cumulative.count - 1   // first index with cumulative > target
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] > target { high = mid } else { low = mid + 1 }
            }
            let t = triangles[low]
            let a = SIMD3<Double>(vertices[Int(t.x)]), b = SIMD3<Double>(vertices[Int(t.y)]), c = SIMD3<Double>(vertices[Int(t.z)])
            let r1 = Double.random(in: 0 ... 1, using: &generator).squareRoot(), r2 = Double.random(in: 0 ... 1, using: &generator)
            positions.append(SIMD3<Float>((1 - r1) * a + r1 * (1 - r2) * b + r1 * r2 * c))
            let u = b - a, v = c - a
            let cross = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
            let length = (cross * cross).sum().squareRoot()
            normals.append(length > 0 ? SIMD3<Float>(cross / length) : .zero)
        }
        return PointCloud(positions: positions, normals: normals)
    }
}
