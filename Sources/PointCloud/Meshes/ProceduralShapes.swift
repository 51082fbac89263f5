/// A procedural, categorised set of synthetic 3D shapes, for training and evaluating shape
/// generators where no categorised set like ShapeNet can be had offline. SYNTHETIC: each shape
/// is a mesh assembled from primitives with random proportions and optional parts, then
/// sampled like any other mesh. Seeded: the same generator state gives the same shape.
///
/// y is up; shapes are roughly 1–2 units across (normalise before use).
public enum ProceduralCategory: String, CaseIterable, Sendable {
    case chair, table, airplane, lamp, mug

    /// A random shape of this category.
    public func mesh(using generator: inout some RandomNumberGenerator) -> TriangleMesh {
        var b = MeshBuilder()
        func r(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &generator) }
        func chance(_ p: Double) -> Bool { Double.random(in: 0 ..< 1, using: &generator) < p }
        switch self {
        case .chair:
            let width = r(0.8 ... 1.2), depth = r(0.8 ... 1.2), seatHeight = r(0.8 ... 1.1), seat = r(0.06 ... 0.14)
            b.addBox(center: SIMD3(0, seatHeight, 0), size: SIMD3(width, seat, depth))
            let leg = r(0.05 ... 0.1), round = chance(0.4), inset = r(0 ... 0.1)
            for sx in [-1.0, 1] { for sz in [-1.0, 1] {
                let x = sx * (width / 2 - leg - inset), z = sz * (depth / 2 - leg - inset)
                if round {
                    b.addFrustum(from: SIMD3(x, 0, z), to: SIMD3(x, seatHeight, z), baseRadius: leg * 0.6, topRadius: leg * 0.8, segments: 12)
                } else {
                    b.addBox(center: SIMD3(x, seatHeight / 2, z), size: SIMD3(leg, seatHeight, leg))
                }
            } }
            let backHeight = r(0.7 ... 1.3), tilt = r(0 ... 0.25), pivot = SIMD3(0, seatHeight, -depth / 2)
            if chance(0.5) {   // solid back
                b.addBox(center: SIMD3(0, seatHeight + backHeight / 2, -depth / 2 + seat / 2), size: SIMD3(width, backHeight, seat * 0.8),
                         frame: .rotation(axis: 0, angle: -tilt, pivot: pivot))
            } else {           // posts and slats
                let slats = Int.random(in: 2 ... 5, using: &generator)
                for sx in [-1.0, 1] {
                    b.addBox(center: SIMD3(sx * (width / 2 - leg / 2), seatHeight + backHeight / 2, -depth / 2 + leg / 2),
                             size: SIMD3(leg, backHeight, leg), frame: .rotation(axis: 0, angle: -tilt, pivot: pivot))
                }
                for k in 0 ..< slats {
                    let y = seatHeight + backHeight * (Double(k) + 1) / Double(slats + 1)
                    b.addBox(center: SIMD3(0, y, -depth / 2 + leg / 2), size: SIMD3(width - leg, backHeight * 0.08, leg * 0.6),
                             frame: .rotation(axis: 0, angle: -tilt, pivot: pivot))
                }
            }
            if chance(0.35) {  // armrests
                let armHeight = r(0.2 ... 0.35)
                for sx in [-1.0, 1] {
                    b.addBox(center: SIMD3(sx * width / 2, seatHeight + armHeight, 0), size: SIMD3(leg * 1.2, leg, depth))
                    b.addBox(center: SIMD3(sx * width / 2, seatHeight + armHeight / 2, depth / 2 - leg), size: SIMD3(leg, armHeight, leg))
                }
            }
        case .table:
            let height = r(0.6 ... 1.1), thickness = r(0.04 ... 0.1)
            let roundTop = chance(0.35)
            let width = r(1.0 ... 2.2), depth = roundTop ? width : r(0.6 ... 1.2)
            if roundTop {
                b.addFrustum(from: SIMD3(0, height - thickness, 0), to: SIMD3(0, height, 0), baseRadius: width / 2, topRadius: width / 2, segments: 32)
            } else {
                b.addBox(center: SIMD3(0, height - thickness / 2, 0), size: SIMD3(width, thickness, depth))
            }
            if roundTop && chance(0.7) {   // pedestal
                let stem = r(0.05 ... 0.12)
                b.addFrustum(from: SIMD3(0, 0.03, 0), to: SIMD3(0, height - thickness, 0), baseRadius: stem, topRadius: stem, segments: 16)
                b.addFrustum(from: .zero, to: SIMD3(0, 0.04, 0), baseRadius: r(0.25 ... 0.45) * width, topRadius: r(0.2 ... 0.4) * width, segments: 24)
            } else {
                let leg = r(0.04 ... 0.1), inset = r(0.02 ... 0.15)
                let hx = (roundTop ? width / 2.8 : width / 2) - leg - inset, hz = (roundTop ? width / 2.8 : depth / 2) - leg - inset
                for sx in [-1.0, 1] { for sz in [-1.0, 1] {
                    b.addBox(center: SIMD3(sx * hx, (height - thickness) / 2, sz * hz), size: SIMD3(leg, height - thickness, leg))
                } }
                if chance(0.4) {   // stretchers or a shelf
                    let y = r(0.1 ... 0.4) * height
                    if chance(0.5) {
                        b.addBox(center: SIMD3(0, y, 0), size: SIMD3(2 * hx, thickness * 0.7, 2 * hz))
                    } else {
                        for sz in [-1.0, 1] { b.addBox(center: SIMD3(0, y, sz * hz), size: SIMD3(2 * hx, leg * 0.7, leg * 0.7)) }
                    }
                }
            }
        case .airplane:
            let length = r(1.6 ... 2.4), radius = r(0.08 ... 0.16) * length / 2
            b.addEllipsoid(center: .zero, radii: SIMD3(length / 2, radius, radius), frame: .identity)
            let span = r(1.4 ... 2.6), chord = r(0.2 ... 0.45), sweep = r(0 ... 0.45), taper = r(0.3 ... 1)
            let wingX = r(-0.15 ... 0.1) * length, wingY = r(-0.6 ... 0.3) * radius
            for side in [-1.0, 1] {
                let outline: [SIMD2<Double>] = [SIMD2(chord / 2, 0), SIMD2(chord / 2 - sweep * span / 2, side * span / 2),
                                                SIMD2(chord / 2 - sweep * span / 2 - chord * taper, side * span / 2), SIMD2(-chord / 2, 0)]
                b.addSlab(outline: side > 0 ? outline : outline.reversed(), thickness: chord * 0.12,
                          frame: .translation(SIMD3(wingX, wingY, 0)))
            }
            let tailSpan = span * r(0.25 ... 0.45), tailChord = chord * r(0.4 ... 0.7)
            for side in [-1.0, 1] {
                let outline: [SIMD2<Double>] = [SIMD2(tailChord / 2, 0), SIMD2(0, side * tailSpan / 2),
                                                SIMD2(-tailChord / 2, side * tailSpan / 2), SIMD2(-tailChord / 2, 0)]
                b.addSlab(outline: side > 0 ? outline : outline.reversed(), thickness: tailChord * 0.1,
                          frame: .translation(SIMD3(-length / 2 + tailChord / 2, radius * 0.3, 0)))
            }
            let finHeight = r(0.2 ... 0.45)   // vertical fin: a slab rotated upright
            let fin: [SIMD2<Double>] = [SIMD2(tailChord / 2, 0), SIMD2(0, finHeight), SIMD2(-tailChord * 0.6, finHeight), SIMD2(-tailChord / 2, 0)]
            var upright = Frame.rotation(axis: 0, angle: -.pi / 2)
            upright.translation = SIMD3(-length / 2 + tailChord / 2, radius * 0.5, 0)
            b.addSlab(outline: fin, thickness: tailChord * 0.1, frame: upright)
            if chance(0.6) {   // engines under the wings
                let engines = chance(0.5) ? 1 : 2
                for side in [-1.0, 1] { for k in 1 ... engines {
                    let z = side * span / 2 * Double(k) / Double(engines + 1) * 0.9
                    let x = wingX - sweep * abs(z) + chord * 0.2
                    b.addFrustum(from: SIMD3(x + 0.2, wingY - 0.08, z), to: SIMD3(x - 0.15, wingY - 0.08, z),
                                 baseRadius: radius * 0.45, topRadius: radius * 0.35, segments: 12)
                } }
            }
        case .lamp:
            let baseRadius = r(0.2 ... 0.45), baseHeight = r(0.03 ... 0.1)
            if chance(0.5) {
                b.addFrustum(from: .zero, to: SIMD3(0, baseHeight, 0), baseRadius: baseRadius, topRadius: baseRadius * r(0.6 ... 1), segments: 24)
            } else {
                b.addBox(center: SIMD3(0, baseHeight / 2, 0), size: SIMD3(2 * baseRadius, baseHeight, 2 * baseRadius))
            }
            let stemHeight = r(0.6 ... 1.6), stem = r(0.02 ... 0.05)
            var top = SIMD3(0, baseHeight + stemHeight, 0)
            b.addFrustum(from: SIMD3(0, baseHeight, 0), to: top, baseRadius: stem, topRadius: stem, segments: 12)
            if chance(0.4) {   // an arm bent sideways
                let arm = SIMD3(r(0.2 ... 0.6), r(-0.1 ... 0.3), 0)
                b.addFrustum(from: top, to: top + arm, baseRadius: stem, topRadius: stem, segments: 12)
                top += arm
            }
            let shadeHeight = r(0.2 ... 0.5), shadeBottom = r(0.15 ... 0.45), shadeTop = shadeBottom * r(0.3 ... 1)
            if chance(0.75) {
                b.addFrustum(from: top - SIMD3(0, shadeHeight * 0.6, 0), to: top + SIMD3(0, shadeHeight * 0.4, 0),
                             baseRadius: shadeBottom, topRadius: shadeTop, segments: 24, capped: false)
            } else {
                b.addEllipsoid(center: top, radii: SIMD3(repeating: shadeBottom * 0.7))
            }
        case .mug:
            let radius = r(0.3 ... 0.5), height = r(0.6 ... 1.2), taper = r(0.8 ... 1.1), wall = r(0.02 ... 0.05)
            b.addFrustum(from: .zero, to: SIMD3(0, height, 0), baseRadius: radius, topRadius: radius * taper, segments: 32, capped: false)
            b.addFrustum(from: SIMD3(0, wall, 0), to: SIMD3(0, height, 0), baseRadius: radius - wall, topRadius: radius * taper - wall,
                         segments: 32, capped: false)   // inner wall
            b.addFrustum(from: .zero, to: SIMD3(0, wall, 0), baseRadius: radius, topRadius: radius, segments: 32)   // bottom
            b.addTorus(center: SIMD3(0, height, 0), u: SIMD3(1, 0, 0), v: SIMD3(0, 0, 1), major: radius * taper - wall / 2,
                       minor: wall / 2, segments: 32, sides: 6)   // rim
            if chance(0.9) {   // handle: a half torus on the side
                let handleRadius = r(0.15 ... 0.3) * height, thickness = r(0.03 ... 0.06)
                let middle = SIMD3(radius * (1 + taper) / 2, height * r(0.45 ... 0.6), 0)
                b.addTorus(center: middle, u: SIMD3(0, -1, 0), v: SIMD3(1, 0, 0), major: handleRadius, minor: thickness,
                           start: 0, end: .pi, segments: 16, sides: 8)
            }
        }
        return b.mesh
    }
}
