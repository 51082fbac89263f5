import CKernels

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
        ck_edge_geometry(edges.receivers, edges.senders, edges.edgeCount, x, epsilon, d2, u)
    }

    /// dx `[N, 3]` += ∂L/∂x from ∂L/∂d² `[E]` and ∂L/∂u `[E, 3]`:
    /// ∂L/∂r = 2 r g_d² + g_u / (s + 1) − r ⟨g_u, r⟩ / ((s + 1)² s), s = √(d² + ε);
    /// then dx_i += ∂L/∂r and dx_j −= ∂L/∂r.
    static func backward(
        edges: EdgeList, x: UnsafePointer<Float>,
        dSquaredDistance gd: UnsafePointer<Float>, dDirection gu: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>
    ) {
        ck_edge_geometry_backward(edges.receivers, edges.senders, edges.edgeCount, x, epsilon, gd, gu, dx)
    }
}
