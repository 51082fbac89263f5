import Foundation

/// Builds triangle meshes from primitives (boxes, cylinders and cones, ellipsoids, tori, thin
/// extruded polygons), for the procedural shape set. Coordinates are y-up.
public struct MeshBuilder: Sendable {
    public private(set) var mesh = TriangleMesh(vertices: [], triangles: [])

    public init() {}

    /// Adds vertices (transformed by `frame`) and triangles indexing them from 0.
    mutating func add(_ vertices: [SIMD3<Double>], _ triangles: [SIMD3<Int32>], frame: Frame = .identity) {
        mesh.append(TriangleMesh(vertices: vertices.map { SIMD3<Float>(frame.apply($0)) }, triangles: triangles))
    }

    /// An axis-aligned box (then placed by `frame`), closed.
    public mutating func addBox(center: SIMD3<Double>, size: SIMD3<Double>, frame: Frame = .identity) {
        let h = size / 2
        var vertices: [SIMD3<Double>] = []
        for x in [-1.0, 1] { for y in [-1.0, 1] { for z in [-1.0, 1] { vertices.append(center + h * SIMD3(x, y, z)) } } }
        let quads: [(Int32, Int32, Int32, Int32)] = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
        add(vertices, quads.flatMap { [SIMD3($0.0, $0.1, $0.2), SIMD3($0.0, $0.2, $0.3)] }, frame: frame)
    }

    /// A frustum from `base` (radius `baseRadius`) to `top` (radius `topRadius`): a cylinder when
    /// the radii are equal, a cone when one is 0. Caps when `capped`.
    public mutating func addFrustum(from base: SIMD3<Double>, to top: SIMD3<Double>, baseRadius: Double, topRadius: Double,
                                    segments: Int = 24, capped: Bool = true) {
        let axis = top - base
        let (u, v) = Frame.perpendiculars(to: axis)
        var vertices: [SIMD3<Double>] = []
        var triangles: [SIMD3<Int32>] = []
        for k in 0 ..< segments {
            let angle = 2 * Double.pi * Double(k) / Double(segments)
            let direction = cos(angle) * u + sin(angle) * v
            vertices.append(base + baseRadius * direction)
            vertices.append(top + topRadius * direction)
        }
        for k in 0 ..< segments {
            let a = Int32(2 * k), b = Int32(2 * ((k + 1) % segments))
            triangles += [SIMD3(a, b, a + 1), SIMD3(b, b + 1, a + 1)]
        }
        if capped {
            let baseCenter = Int32(vertices.count), topCenter = baseCenter + 1
            vertices += [base, top]
            for k in 0 ..< segments {
                let a = Int32(2 * k), b = Int32(2 * ((k + 1) % segments))
                if baseRadius > 0 { triangles.append(SIMD3(baseCenter, b, a)) }
                if topRadius > 0 { triangles.append(SIMD3(topCenter, a + 1, b + 1)) }
            }
        }
        add(vertices, triangles)
    }

    /// An ellipsoid with semi-axes `radii` (then rotated by `frame`'s rotation about `center`).
    public mutating func addEllipsoid(center: SIMD3<Double>, radii: SIMD3<Double>, rings: Int = 12, segments: Int = 24, frame: Frame = .identity) {
        var vertices: [SIMD3<Double>] = []
        var triangles: [SIMD3<Int32>] = []
        for i in 0 ... rings {
            let theta = Double.pi * Double(i) / Double(rings)
            for k in 0 ..< segments {
                let phi = 2 * Double.pi * Double(k) / Double(segments)
                vertices.append(center + radii * SIMD3(sin(theta) * cos(phi), cos(theta), sin(theta) * sin(phi)))
            }
        }
        for i in 0 ..< rings {
            for k in 0 ..< segments {
                let a = Int32(i * segments + k), b = Int32(i * segments + (k + 1) % segments)
                let c = a + Int32(segments), d = b + Int32(segments)
                triangles += [SIMD3(a, b, c), SIMD3(b, d, c)]
            }
        }
        add(vertices, triangles, frame: frame)
    }

    /// A torus arc in the plane spanned by `u` and `v` around `center`: tube radius `minor`
    /// around a circle of radius `major`, from angle `start` to `end` (radians).
    public mutating func addTorus(center: SIMD3<Double>, u: SIMD3<Double>, v: SIMD3<Double>, major: Double, minor: Double,
                                  start: Double = 0, end: Double = 2 * .pi, segments: Int = 24, sides: Int = 10) {
        let normal = Frame.cross(u, v)
        var vertices: [SIMD3<Double>] = []
        var triangles: [SIMD3<Int32>] = []
        for i in 0 ... segments {
            let a = start + (end - start) * Double(i) / Double(segments)
            let radial = cos(a) * u + sin(a) * v
            for k in 0 ..< sides {
                let b = 2 * Double.pi * Double(k) / Double(sides)
                vertices.append(center + major * radial + minor * (cos(b) * radial + sin(b) * normal))
            }
        }
        for i in 0 ..< segments {
            for k in 0 ..< sides {
                let a = Int32(i * sides + k), b = Int32(i * sides + (k + 1) % sides)
                let c = a + Int32(sides), d = b + Int32(sides)
                triangles += [SIMD3(a, c, b), SIMD3(b, c, d)]
            }
        }
        add(vertices, triangles)
    }

    /// A flat polygon (x, z outline in order) extruded by `thickness` along y, placed by `frame`.
    public mutating func addSlab(outline: [SIMD2<Double>], thickness: Double, frame: Frame = .identity) {
        let n = outline.count
        var vertices: [SIMD3<Double>] = []
        for p in outline { vertices.append(SIMD3(p.x, -thickness / 2, p.y)) }
        for p in outline { vertices.append(SIMD3(p.x, thickness / 2, p.y)) }
        var triangles: [SIMD3<Int32>] = []
        for k in 1 ..< n - 1 {   // fans: the outline must be convex
            triangles.append(SIMD3(0, Int32(k + 1), Int32(k)))
            triangles.append(SIMD3(Int32(n), Int32(n + k), Int32(n + k + 1)))
        }
        for k in 0 ..< n {
            let a = Int32(k), b = Int32((k + 1) % n)
            triangles += [SIMD3(a, b, a + Int32(n)), SIMD3(b, b + Int32(n), a + Int32(n))]
        }
        add(vertices, triangles, frame: frame)
    }
}

/// A rigid placement: rotation (rows of a 3 × 3 matrix) then translation.
public struct Frame: Sendable {
    public var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)
    public var translation: SIMD3<Double>

    public static let identity = Frame(rows: (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)), translation: .zero)

    /// Rotation by `angle` radians about the x, y or z axis (0, 1, 2), about `pivot`.
    public static func rotation(axis: Int, angle: Double, pivot: SIMD3<Double> = .zero) -> Frame {
        let c = cos(angle), s = sin(angle)
        let rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)
        switch axis {
        case 0: rows = (SIMD3(1, 0, 0), SIMD3(0, c, -s), SIMD3(0, s, c))
        case 1: rows = (SIMD3(c, 0, s), SIMD3(0, 1, 0), SIMD3(-s, 0, c))
        default: rows = (SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1))
        }
        var frame = Frame(rows: rows, translation: .zero)
        frame.translation = pivot - frame.rotate(pivot)
        return frame
    }

    public static func translation(_ t: SIMD3<Double>) -> Frame { Frame(rows: identity.rows, translation: t) }

    func rotate(_ p: SIMD3<Double>) -> SIMD3<Double> { SIMD3((rows.0 * p).sum(), (rows.1 * p).sum(), (rows.2 * p).sum()) }

    public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> { rotate(p) + translation }

    static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    /// Two unit vectors perpendicular to `axis` and to each other.
    static func perpendiculars(to axis: SIMD3<Double>) -> (SIMD3<Double>, SIMD3<Double>) {
        let w = axis / max(1e-12, (axis * axis).sum().squareRoot())
        let helper: SIMD3<Double> = abs(w.x) < 0.9 ? SIMD3(1, 0, 0) : SIMD3(0, 1, 0)
        var u = cross(w, helper)
        u /= (u * u).sum().squareRoot()
        return (u, cross(w, u))
    }
}
