/// Where the positions of the process live.
public enum PositionSubspace: String, Sendable, Codable, CaseIterable {
    /// Data centred and noise projected to zero mean per graph (EDM §3.1).
    /// Needed whenever the denoiser cannot predict a per-graph mean of ε_x,
    /// as with the EGNN, whose ε̂_x has zero mean under both symmetries.
    case zeroCenterOfMass
    /// Full 3D noise, data as given: only for denoisers that see absolute
    /// positions and can predict the mean of ε_x.
    case full
}

/// EDM's variance-preserving diffusion on graphs (Hoogeboom et al. 2022, §3):
/// positions live in the zero-centre-of-gravity subspace of each graph
/// (by default, under either symmetry), features are scaled by `scaling`, and
///
///     q(z_t | x) = N(α_t x, σ_t² I)          (EDM eq. 1 / eq. 4)
///
/// with α_t, σ_t from `schedule`.
///
/// Translation mode: a `.translation` denoiser is not rotation-equivariant
/// (aligned shapes), but the EGNN still sees only centred positions and
/// returns zero-mean ε̂_x, so its process keeps the zero-CoM projection too;
/// without it the mean of ε_x = z̄/σ_t would be unpredictable (an irreducible
/// loss) and sampling would amplify z̄ by α_0/α_T. Choose `.full` only for a
/// denoiser that can predict that mean.
public struct DiffusionProcess: Sendable {
    public let schedule: any NoiseSchedule
    public let scaling: FeatureScaling
    public let symmetry: Symmetry
    public let positionSubspace: PositionSubspace

    public init(schedule: any NoiseSchedule, scaling: FeatureScaling, symmetry: Symmetry = .euclidean,
                positionSubspace: PositionSubspace = .zeroCenterOfMass) {
        self.schedule = schedule
        self.scaling = scaling
        self.symmetry = symmetry
        self.positionSubspace = positionSubspace
    }

    /// Whether positions are centred and noise projected per graph.
    public var projectsCenterOfMass: Bool { positionSubspace == .zeroCenterOfMass }

    /// Feature width F.
    public var featureWidth: Int { scaling.width }
    /// T.
    public var timesteps: Int { schedule.timesteps }

    /// Training data in diffusion space: positions centred per graph (in the
    /// zero-CoM subspace, as EDM's train loop does) and features scaled.
    public func prepare(positions: [Float], features: [Float], layout: GraphLayout) -> GraphTensors {
        var x = GraphTensors()
        prepare(positions: positions, features: features, layout: layout, into: &x)
        return x
    }

    /// As `prepare(positions:features:layout:)`, into `x`'s storage.
    public func prepare(positions: [Float], features: [Float], layout: GraphLayout, into x: inout GraphTensors) {
        precondition(positions.count == layout.nodeCount * 3,
                     "positions: \(positions.count) values for \(layout.nodeCount) nodes × 3")
        precondition(features.count == layout.nodeCount * featureWidth,
                     "features: \(features.count) values for \(layout.nodeCount) nodes × \(featureWidth)")
        x.positions.removeAll(keepingCapacity: true)
        x.positions.append(contentsOf: positions)
        x.features.removeAll(keepingCapacity: true)
        x.features.append(contentsOf: features)
        if projectsCenterOfMass { CenterOfMass.remove(from: &x.positions, layout: layout) }
        scaling.scale(&x.features)
    }

    /// ε = (ε_x, ε_h) ~ N(0, I) with ε_x projected to zero mean per graph
    /// in the zero-CoM subspace (EDM §3.1:
    /// sample_center_gravity_zero_gaussian): shapes `[nodes, 3]`, `[nodes, F]`.
    public func sampleNoise(layout: GraphLayout, using generator: inout some RandomNumberGenerator) -> GraphTensors {
        var noise = GraphTensors()
        sampleNoise(layout: layout, into: &noise, using: &generator)
        return noise
    }

    /// As `sampleNoise(layout:using:)`, into `noise`'s storage (same draws).
    public func sampleNoise(layout: GraphLayout, into noise: inout GraphTensors,
                            using generator: inout some RandomNumberGenerator) {
        noise.resize(nodes: layout.nodeCount, featureWidth: featureWidth)
        generator.fillStandardNormal(&noise.positions)
        generator.fillStandardNormal(&noise.features)
        if projectsCenterOfMass { CenterOfMass.remove(from: &noise.positions, layout: layout) }
    }

    /// z_t = α_t x + σ_t ε per graph, t = `timesteps[g]` (EDM eq. 4; the
    /// reparametrised sample of q(z_t | x)).
    public func diffuse(_ x: GraphTensors, noise: GraphTensors, timesteps: [Int], layout: GraphLayout) -> GraphTensors {
        var z = GraphTensors()
        diffuse(x, noise: noise, timesteps: timesteps, layout: layout, into: &z)
        return z
    }

    /// As `diffuse(_:noise:timesteps:layout:)`, into `z`'s storage.
    public func diffuse(_ x: GraphTensors, noise: GraphTensors, timesteps: [Int], layout: GraphLayout,
                        into z: inout GraphTensors) {
        precondition(timesteps.count == layout.graphCount,
                     "timesteps: \(timesteps.count) values for \(layout.graphCount) graphs")
        precondition(x.positions.count == noise.positions.count && x.features.count == noise.features.count,
                     "x and ε differ in shape: \(x.positions.count)/\(x.features.count) vs \(noise.positions.count)/\(noise.features.count)")
        let width = featureWidth
        z.resize(nodes: x.positions.count / 3, featureWidth: width)
        for g in 0 ..< layout.graphCount {
            let t = timesteps[g]
            let a = Float(schedule.alpha(at: t)), s = Float(schedule.sigma(at: t))
            let nodes = layout.nodes(ofGraph: g)
            for k in (3 * nodes.lowerBound) ..< (3 * nodes.upperBound) {
                z.positions[k] = a * x.positions[k] + s * noise.positions[k]
            }
            for k in (width * nodes.lowerBound) ..< (width * nodes.upperBound) {
                z.features[k] = a * x.features[k] + s * noise.features[k]
            }
        }
    }

    /// t / T per graph, the time input of the denoiser: `[graphs]`.
    public func normalizedTime(_ timesteps: [Int]) -> [Float] {
        timesteps.map { Float($0) / Float(schedule.timesteps) }
    }

    /// As `normalizedTime(_:)`, into `time`'s storage.
    public func normalizedTime(_ timesteps: [Int], into time: inout [Float]) {
        time.removeAll(keepingCapacity: true)
        for t in timesteps { time.append(Float(t) / Float(schedule.timesteps)) }
    }
}
