/// EDM's simplified ε-prediction objective ("l2" loss type, the one EDM
/// trains QM9 with; Hoogeboom et al. 2022, eq. 7 with w(t) = 1; Ho et al.
/// 2020, eq. 14), with the per-sample weights of reward-guided training
/// (RGDM, Zhang & Xu 2023: minimise Σ_i w_i ‖ε − ε_θ(z_t(x_i), t)‖²):
///
///     L_g = Σ_{i ∈ g} (‖ε_x,i − ε̂_x,i‖² + ‖ε_h,i − ε̂_h,i‖²) / (n_g (3 + F))
///     L   = (1/B) Σ_g w_g L_g
///
/// Weighting over t: EDM's QM9 runs train with loss type "l2" (main_qm9.py's
/// default), for which en_diffusion.py's compute_loss sets the SNR weight to
/// 1 at every t > 0, i.e. uniform in t as here. Differences from EDM: EDM
/// divides by (3 + F) times the *padded* node count of the batch, this by
/// each graph's own node count, so a graph's loss does not depend on its
/// batch mates; at t = 0 EDM uses −log p(x, h | z_0), whose θ-dependent part
/// is ½ of the position error only, where this keeps the full ε error; and
/// EDM's reported loss is ½ L plus terms without gradient.
public enum EpsilonLoss {
    /// Per-graph mean squared error L_g: `[graphs]`.
    public static func perGraph(prediction: DenoiserOutput, target: GraphTensors, layout: GraphLayout) -> [Double] {
        check(prediction, target, layout)
        let width = target.features.count / max(layout.nodeCount, 1)
        var result = [Double](repeating: 0, count: layout.graphCount)
        for g in 0 ..< layout.graphCount {
            let nodes = layout.nodes(ofGraph: g)
            guard !nodes.isEmpty else { continue }
            var sum = 0.0
            for k in (3 * nodes.lowerBound) ..< (3 * nodes.upperBound) {
                let d = Double(target.positions[k]) - Double(prediction.positions[k]); sum += d * d
            }
            for k in (width * nodes.lowerBound) ..< (width * nodes.upperBound) {
                let d = Double(target.features[k]) - Double(prediction.features[k]); sum += d * d
            }
            result[g] = sum / Double(nodes.count * (3 + width))
        }
        return result
    }

    /// (L, ∂L/∂ε̂) for the weighted batch loss; `weights` `[graphs]` or nil for all 1.
    public static func evaluate(prediction: DenoiserOutput, target: GraphTensors, layout: GraphLayout,
                                weights: [Float]? = nil) -> (value: Double, gradient: DenoiserOutput) {
        var gradient = DenoiserOutput(positions: [], features: [])
        let value = evaluate(prediction: prediction, target: target, layout: layout, weights: weights, gradient: &gradient)
        return (value, gradient)
    }

    /// L, writing ∂L/∂ε̂ = −2 w_g (ε − ε̂) / (B n_g (3 + F)) into `gradient`'s
    /// storage (resized to ε̂'s shapes; no allocation once it has held them).
    public static func evaluate(prediction: DenoiserOutput, target: GraphTensors, layout: GraphLayout,
                                weights: [Float]?, gradient: inout DenoiserOutput) -> Double {
        check(prediction, target, layout)
        let width = target.features.count / max(layout.nodeCount, 1)
        let batch = Double(max(layout.graphCount, 1))
        gradient.positions.resizeKeepingCapacity(to: prediction.positions.count)
        gradient.features.resizeKeepingCapacity(to: prediction.features.count)
        var value = 0.0
        for g in 0 ..< layout.graphCount {
            let nodes = layout.nodes(ofGraph: g)
            guard !nodes.isEmpty else { continue }
            let w = Double(weights?[g] ?? 1)
            let norm = Double(nodes.count * (3 + width))
            let c = -2 * w / (batch * norm)
            var sum = 0.0
            for k in (3 * nodes.lowerBound) ..< (3 * nodes.upperBound) {
                let d = Double(target.positions[k]) - Double(prediction.positions[k])
                sum += d * d
                gradient.positions[k] = Float(c * d)
            }
            for k in (width * nodes.lowerBound) ..< (width * nodes.upperBound) {
                let d = Double(target.features[k]) - Double(prediction.features[k])
                sum += d * d
                gradient.features[k] = Float(c * d)
            }
            value += w * (sum / norm) / batch
        }
        return value
    }

    private static func check(_ prediction: DenoiserOutput, _ target: GraphTensors, _ layout: GraphLayout) {
        precondition(prediction.positions.count == layout.nodeCount * 3 && target.positions.count == layout.nodeCount * 3,
                     "positions: ε̂ \(prediction.positions.count), ε \(target.positions.count) for \(layout.nodeCount) nodes × 3")
        precondition(prediction.features.count == target.features.count,
                     "features: ε̂ \(prediction.features.count) vs ε \(target.features.count)")
        precondition(layout.nodeCount == 0 || target.features.count % layout.nodeCount == 0,
                     "features: \(target.features.count) values are not rows for \(layout.nodeCount) nodes")
    }
}
