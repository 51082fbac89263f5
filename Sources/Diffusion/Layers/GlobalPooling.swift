/// Whether the EGNN's node MLP also sees a summary of the node's whole graph.
///
/// EDM's GCL updates h_i from h_i and its messages only, so on k-nearest-neighbour
/// graphs of point clouds a node sees a few hops and nothing of the shape as a
/// whole. With `.mean` each layer's node MLP gets the graph's mean feature too,
/// a global context like the global attribute u that the node update φ^v of
/// Battaglia et al. 2018's graph networks reads (eq. 1), here u = ρ(h) the mean:
///
///     h_i ← h_i + φ_h([h_i, agg_i, (1/N_g) Σ_{j∈g(i)} h_j])
///
/// The mean is invariant to rotations, translations and node permutations, so
/// the model keeps its symmetry. `.none` is EDM's model, parameter for parameter.
public enum GlobalPooling: String, Sendable, Codable, CaseIterable {
    /// EDM's node MLP φ_h([h_i, agg_i]): first layer `[2H, H]`.
    case none
    /// φ_h([h_i, agg_i, mean_g h]): first layer `[3H, H]`.
    case mean

    /// How many H-wide blocks the node MLP's input has.
    var nodeInputBlocks: Int {
        switch self {
        case .none: 2
        case .mean: 3
        }
    }
}
