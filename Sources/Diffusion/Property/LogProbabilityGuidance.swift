/// Classifier guidance (Dhariwal & Nichol 2021, "Diffusion Models Beat GANs on Image Synthesis",
/// Algorithm 2): with f(z_t, t) = log p(c | z_t) of a classifier trained on noised inputs,
///
///     ε̂ ← ε̂ − σ_t · w · ∇_{z_t} log p(c | z_t),     σ_t = √(1 − ᾱ_t)
///
/// per graph. The model's score is −ε̂/σ_t, so this adds w ∇ log p(c | z_t): the chain samples
/// approximately from p(x) p(c | x)^w. w = 0 is the plain chain; w = 1 the class-conditional
/// p(x | c) when the classifier is exact. `maximumRMS` caps each graph's term as
/// `PropertyGuidance` does.
public struct LogProbabilityGuidance<Property: DifferentiableGraphProperty>: SamplingGuidance {
    /// A log-probability (or any log-density) per graph.
    public let property: Property
    /// w ≥ 0.
    public let weight: Double
    /// The cap on a graph's term, root mean square per component; nil: none.
    public let maximumRMS: Double?

    public init(property: Property, weight: Double, maximumRMS: Double? = nil) throws {
        try GuidanceTerm.validate(weight: weight, maximumRMS: maximumRMS)
        self.property = property
        self.weight = weight
        self.maximumRMS = maximumRMS
    }

    /// −σ_t w ∇_z Σ_g f_g: positions `[N, 3]` (zero mean per graph when the process projects),
    /// features `[N, F]`; each graph's capped at `maximumRMS` when given.
    public func term(at z: GraphTensors, timestep: Int, layout: GraphLayout, process: DiffusionProcess) throws -> GraphTensors {
        // L = −Σ_g f_g, so ∂L/∂z = −∇ Σ f and the term is σ_t w ∂L/∂z.
        var (_, gradient) = try property.valueAndGradient(at: z, timestep: timestep, layout: layout, process: process) { f in
            (-f.reduce(0, +), [Double](repeating: -1, count: f.count))
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
