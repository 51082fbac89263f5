/// How a cloud is centred and scaled before training or evaluation.
public enum PointCloudNormalization: String, CaseIterable, Sendable, Codable {
    /// Left as it is.
    case none
    /// Subtract the mean point; divide by the standard deviation of all 3N coordinates
    /// (unbiased, as `torch.std` of the flattened cloud). Luo & Hu's training default
    /// (`scale_mode='shape_unit'`, diffusion-point-cloud utils/dataset.py).
    case shapeUnit = "shape_unit"
    /// Centre the bounding box; divide by half its largest side, so the cloud fits [-1, 1]^3.
    /// Luo & Hu's evaluation normalisation (`shape_bbox`).
    case shapeBBox = "shape_bbox"
    /// Subtract the centroid; divide by the largest distance from it (PointNet's `pc_normalize`).
    case unitSphere = "unit_sphere"
}

extension PointCloud {
    /// The shift and scale `mode` applies: `normalized = (p - shift) / scale`.
    /// A degenerate cloud (one point, or all points equal) gets scale 1.
    public func normalization(_ mode: PointCloudNormalization) -> (shift: SIMD3<Float>, scale: Float) {
        guard !positions.isEmpty else { return (.zero, 1) }
        let shift: SIMD3<Float>
        var scale: Double
        switch mode {
        case .none:
            return (.zero, 1)
        case .shapeUnit:
            shift = centroid
            // Standard deviation of the flattened coordinates about their own (grand) mean.
            var sum = 0.0
            for p in positions { sum += Double(p.x) + Double(p.y) + Double(p.z) }
            let n = Double(positions.count * 3)
            let mean = sum / n
            var squaredDeviations = 0.0
            for p in positions {
                let d = SIMD3<Double>(p) - SIMD3<Double>(repeating: mean)
                squaredDeviations += (d * d).sum()
            }
            scale = n > 1 ? (squaredDeviations / (n - 1)).squareRoot() : 0
        case .shapeBBox:
            let box = boundingBox
            shift = (box.min + box.max) / 2
            scale = Double((box.max - box.min).max()) / 2
        case .unitSphere:
            shift = centroid
            scale = positions.map { Double(simd_length(SIMD3<Double>($0 - shift))) }.max() ?? 0
        }
        if !(scale > 0) || !scale.isFinite { scale = 1 }
        return (shift, Float(scale))
    }

    /// The cloud centred and scaled by `mode`; normals and labels are unchanged.
    public func normalized(_ mode: PointCloudNormalization) -> PointCloud {
        let (shift, scale) = normalization(mode)
        var copy = self
        copy.positions = positions.map { ($0 - shift) / scale }
        return copy
    }
}

@inline(__always)
func simd_length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
