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
/// `maximumRMS` (nil: the formula as published) caps each graph's term at that root mean square
/// per component, scaling it down as a whole. ε̂ estimates noise of unit variance; a learnt f
/// extrapolates beyond its data (a polarisability model keeps rising as atoms move apart), and a
/// term much larger than ε̂ drives the chain there faster than the denoiser pulls it back.
public struct PropertyGuidance<Property: DifferentiableGraphProperty>: SamplingGuidance {
    public let property: Property
    /// a, in f's units.
    public let target: Double
    /// w ≥ 0.
    public let weight: Double
    /// The cap on a graph's term, root mean square per component; nil: none.
    public let maximumRMS: Double?

    public init(property: Property, target: Double, weight: Double, maximumRMS: Double? = nil) throws {
        guard target.isFinite else { throw DiffusionError.invalidConfiguration("the guidance target must be finite, got \(target)") }
        try GuidanceTerm.validate(weight: weight, maximumRMS: maximumRMS)
        self.property = property
        self.target = target
        self.weight = weight
        self.maximumRMS = maximumRMS
    }

    /// σ_t w ∇_z ½ Σ_g (a − f_g)²: positions `[N, 3]` (zero mean per graph when the process
    /// projects), features `[N, F]`; each graph's capped at `maximumRMS` when given.
    public func term(at z: GraphTensors, timestep: Int, layout: GraphLayout, process: DiffusionProcess) throws -> GraphTensors {
        let a = target
        var (_, gradient) = try property.valueAndGradient(at: z, timestep: timestep, layout: layout, process: process) { f in
            (f.reduce(0) { $0 + 0.5 * (a - $1) * (a - $1) }, f.map { $0 - a })
        }
        GuidanceTerm.finish(&gradient, weight: weight, maximumRMS: maximumRMS, timestep: timestep, layout: layout, process: process)
        return gradient
    }

    public func guide(_ prediction: inout DenoiserOutput, at z: GraphTensors, timestep: Int, layout: GraphLayout,
                      process: DiffusionProcess) throws {
        guard weight > 0 else { return }
        GuidanceTerm.add(try term(at: z, timestep: timestep, layout: layout, process: process), to: &prediction)
    }
}
