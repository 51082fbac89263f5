/// A triangle mesh: vertices [V, 3] and triangles [T, 3] of vertex indices. Polygons read from
/// files are split into triangle fans.
public struct TriangleMesh: Sendable, Equatable {
    public var vertices: [SIMD3<Float>]
    public var triangles: [SIMD3<Int32>]

    public init(vertices: [SIMD3<Float>], triangles: [SIMD3<Int32>]) {
        precondition(triangles.allSatisfy { t in (0 ..< 3).allSatisfy { t[$0] >= 0 && Int(t[$0]) < vertices.count } },
                     "TriangleMesh: a triangle index is outside 0..<\(vertices.count)")
        self.vertices = vertices
        self.triangles = triangles
    }

    /// Area of each triangle, in Double.
    public var triangleAreas: [Double] {
        triangles.map { t in
            let a = SIMD3<Double>(vertices[Int(t.x)]), b = SIMD3<Double>(vertices[Int(t.y)]), c = SIMD3<Double>(vertices[Int(t.z)])
            let u = b - a, v = c - a
            let cross = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
            return 0.5 * (cross * cross).sum().squareRoot()
        }
    }

    public var surfaceArea: Double { triangleAreas.reduce(0, +) }

    /// The mesh with `other`'s vertices and triangles appended (for building shapes from parts).
    public mutating func append(_ other: TriangleMesh) {
        let offset = Int32(vertices.count)
        vertices += other.vertices
        triangles += other.triangles.map { $0 &+ SIMD3(repeating: offset) }
    }

    /// Index of the first vertex with a NaN or infinite coordinate.
    public var firstNonFiniteVertex: Int? {
        vertices.firstIndex { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }
    }
}
