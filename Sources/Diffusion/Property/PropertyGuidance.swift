/// Gradient guidance of an unconditional model toward a property value a, as the released code of
/// reward-directed conditional diffusion does it (Yuan et al. 2023, arXiv 2307.07055, the
/// RCGDM sampler; classifier guidance of Dhariwal & Nichol 2021 with a regression loss):
///
///     ε̂ ← ε̂ + σ_t · w · ∇_{z_t} ½ (a − f(z_t, t))²,     σ_t = √(1 − ᾱ_t)
///
/// per graph, with f a property model trained on noised inputs. Since the model's score is
/// −ε̂/σ_t, this adds −w ∇ ½ (a − f)² to the score: the chain samples approximately from
/// p(x) exp(−w ½ (a − f(x))²), pulled toward graphs whose property is a. w = 0 is the plain chain.
/// The gradient's position part is projected to zero mean per graph (the zero-CoM subspace the
/// chain lives in) when the process projects; features are guided too.
///
/// The target is one a for every graph (`.value`) or each graph's own, read from the condition
/// row it is drawn under (`.condition`): a conditional model's chain, guided toward the value
/// it is conditioned on, as energy-guided EDM samples (Bao et al. 2023, EEGSDE).
///
/// `maximumRMS` (nil: the formula as published) caps each graph's term at that root mean square
/// per component, scaling it down as a whole. ε̂ estimates noise of unit variance; a learnt f
/// extrapolates beyond its data (a polarisability model keeps rising as atoms move apart), and a
/// term much larger than ε̂ drives the chain there faster than the denoiser pulls it back.
public struct PropertyGuidance<Property: DifferentiableGraphProperty>: SamplingGuidance {
    /// Where each graph's a comes from, in f's units.
    public enum Target: Sendable, Equatable {
        /// a for every graph.
        case value(Double)
        /// a_g = offset + scale · c_g[column], c_g the condition row graph g is drawn under.
        case condition(column: Int, scale: Double, offset: Double)
    }

    public let property: Property
    public let target: Target
    /// w ≥ 0.
    public let weight: Double
    /// The cap on a graph's term, root mean square per component; nil: none.
    public let maximumRMS: Double?

    /// Toward one a for every graph.
    public init(property: Property, target: Double, weight: Double, maximumRMS: Double? = nil) throws {
        try self.init(property: property, target: .value(target), weight: weight, maximumRMS: maximumRMS)
    }

    /// Throws `DiffusionError.invalidConfiguration` for a target or map that is not finite, a
    /// negative column, w < 0 or a cap that is not > 0.
    public init(property: Property, target: Target, weight: Double, maximumRMS: Double? = nil) throws {
        switch target {
        case .value(let a):
            guard a.isFinite else { throw DiffusionError.invalidConfiguration("the guidance target must be finite, got \(a)") }
        case let .condition(column, scale, offset):
            guard column >= 0, scale.isFinite, offset.isFinite else {
                throw DiffusionError.invalidConfiguration(
                    "guidance toward the condition needs a column ≥ 0 and a finite scale and offset, got \(column), \(scale), \(offset)")
            }
        }
        try GuidanceTerm.validate(weight: weight, maximumRMS: maximumRMS)
        self.property = property
        self.target = target
        self.weight = weight
        self.maximumRMS = maximumRMS
    }

    /// Each graph's a (`[graphs]`) for graphs drawn under `condition` (`[graphs, width]`).
    /// Throws when the target is the condition and the rows do not hold its column.
    public func targets(graphs: Int, condition: [Float]) throws -> [Double] {
        switch target {
        case .value(let a):
            return [Double](repeating: a, count: graphs)
        case let .condition(column, scale, offset):
            let width = graphs == 0 ? 0 : condition.count / graphs
            guard column < width, condition.count == graphs * width else {
                throw DiffusionError.invalidConfiguration(
                    "guidance toward each graph's condition reads column \(column); the chain has \(condition.count) condition values for \(graphs) graphs")
            }
            return (0 ..< graphs).map { offset + scale * Double(condition[$0 * width + column]) }
        }
    }

    /// σ_t w ∇_z ½ Σ_g (a_g − f_g)²: positions `[N, 3]` (zero mean per graph when the process
    /// projects), features `[N, F]`; each graph's capped at `maximumRMS` when given. `condition`
    /// (`[graphs, width]`) is read only by a `.condition` target.
    public func term(at z: GraphTensors, condition: [Float] = [], timestep: Int, layout: GraphLayout,
                     process: DiffusionProcess) throws -> GraphTensors {
        let a = try targets(graphs: layout.graphCount, condition: condition)
        var (_, gradient) = try property.valueAndGradient(at: z, timestep: timestep, layout: layout, process: process) { f in
            (zip(a, f).reduce(0) { $0 + 0.5 * ($1.0 - $1.1) * ($1.0 - $1.1) }, zip(f, a).map { $0 - $1 })
        }
        GuidanceTerm.finish(&gradient, weight: weight, maximumRMS: maximumRMS, timestep: timestep, layout: layout, process: process)
        return gradient
    }

    public func guide(_ prediction: inout DenoiserOutput, at z: GraphTensors, timestep: Int, layout: GraphLayout,
                      process: DiffusionProcess) throws {
        try guide(&prediction, at: z, condition: [], timestep: timestep, layout: layout, process: process)
    }

    public func guide(_ prediction: inout DenoiserOutput, at z: GraphTensors, condition: [Float], timestep: Int,
                      layout: GraphLayout, process: DiffusionProcess) throws {
        guard weight > 0 else { return }
        GuidanceTerm.add(try term(at: z, condition: condition, timestep: timestep, layout: layout, process: process),
                         to: &prediction)
    }
}
