/// Per-edge geometry of one layer (EDM's `coord2diff` with norm_constant 1):
/// r_ij = x_i − x_j, d²_ij = ‖r_ij‖², u_ij = r_ij / (√(d²_ij + 10⁻⁸) + 1).
/// d² enters the edge and coordinate MLPs (Satorras et al. 2021, eq. 3); u is
/// the direction of the coordinate update (eq. 4, EDM's normalised form).
enum EdgeGeometry {
    static let epsilon: Float = 1e-8

    /// x `[N, 3]` → d² `[E]`, u `[E, 3]`.
    static func forward(
        edges: EdgeList, x: UnsafePointer<Float>,
        squaredDistance d2: UnsafeMutablePointer<Float>, direction u: UnsafeMutablePointer<Float>
    ) {
        edges.senders.withUnsafeBufferPointer { senders in
            edges.receivers.withUnsafeBufferPointer { receivers in
                for e in 0 ..< senders.count {
                    let i = Int(receivers[e]) * 3, j = Int(senders[e]) * 3
                    let rx = x[i] - x[j], ry = x[i + 1] - x[j + 1], rz = x[i + 2] - x[j + 2]
                    let s = rx * rx + ry * ry + rz * rz
                    let scale = 1 / ((s + epsilon).squareRoot() + 1)
                    d2[e] = s
                    u[3 * e] = rx * scale
                    u[3 * e + 1] = ry * scale
                    u[3 * e + 2] = rz * scale
                }
            }
        }
    }

    /// dx `[N, 3]` += ∂L/∂x from ∂L/∂d² `[E]` and ∂L/∂u `[E, 3]`:
    /// ∂L/∂r = 2 r g_d² + g_u / (s + 1) − r ⟨g_u, r⟩ / ((s + 1)² s), s = √(d² + ε);
    /// then dx_i += ∂L/∂r and dx_j −= ∂L/∂r.
    static func backward(
        edges: EdgeList, x: UnsafePointer<Float>,
        dSquaredDistance gd: UnsafePointer<Float>, dDirection gu: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>
    ) {
        edges.senders.withUnsafeBufferPointer { senders in
            edges.receivers.withUnsafeBufferPointer { receivers in
                for e in 0 ..< senders.count {
                    let i = Int(receivers[e]) * 3, j = Int(senders[e]) * 3
                    let rx = x[i] - x[j], ry = x[i + 1] - x[j + 1], rz = x[i + 2] - x[j + 2]
                    let s = (rx * rx + ry * ry + rz * rz + epsilon).squareRoot()
                    let inv = 1 / (s + 1)
                    let gx = gu[3 * e], gy = gu[3 * e + 1], gz = gu[3 * e + 2]
                    let radial = 2 * gd[e] - (gx * rx + gy * ry + gz * rz) * inv * inv / s
                    let dxr = rx * radial + gx * inv, dyr = ry * radial + gy * inv, dzr = rz * radial + gz * inv
                    dx[i] += dxr; dx[i + 1] += dyr; dx[i + 2] += dzr
                    dx[j] -= dxr; dx[j + 1] -= dyr; dx[j + 2] -= dzr
                }
            }
        }
    }
}
