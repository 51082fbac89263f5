import ArgumentParser
import Diffusion

/// The reverse process's options, shared by `rgdm sample` and `rgdm finetune`'s pools: without
/// `--sampler` the model's default chain (`ModelDomain.defaultSampling`), adjusted by the options
/// given.
struct SamplerOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Reverse process (default: the model's default chain, below).",
        discussion: """
        Without --sampler, molecule models sample with \(ModelDomain.molecules.defaultSampling(timesteps: 1000, architecture: .egnn).summary) \
        and latent-points shapes models with \(ModelDomain.shapes.defaultSampling(timesteps: 1000, architecture: .latentPoints).summary) \
        (for T = 1000); the other options below adjust that chain. With --sampler, every option not given takes the \
        default it names; --sampler ancestral --steps 1000 --corrector-steps 0 is EDM's plain chain.
        """))
    var sampler: SamplerKind?
    @Option(help: "Denoising steps: DDIM's and DPM-Solver++'s (default 100), or a strided ancestral chain's (default: all T).") var steps: Int?
    @Option(help: ArgumentHelp(
        "Where the steps lie: uniform, log-snr or power:ρ (default: uniform for ancestral and DDIM, log-snr for DPM-Solver++).",
        discussion: "power:ρ puts step k of K at t = T (k/K)^ρ: ρ > 1 crowds the steps at low noise, where bonds form."))
    var grid: TimestepGrid?
    @Option(help: "DPM-Solver++'s order, 1 or 2 (default 2).") var order: Int?
    @Option(help: "SDE-DPM-Solver++'s noise η: 1 the reverse SDE (default), more adds Langevin moves to each step.")
    var eta: Double?
    @Option(help: ArgumentHelp("latent-points models: steps of the latent prior's chain (default: all T for ancestral, --steps otherwise).",
                               discussion: "The prior is cheap; a coarse ancestral chain shrinks the spread of the latents, so of the shapes."))
    var latentSteps: Int?
    @Option(help: "latent-points models: the latent prior's sampler (default: --sampler's, with its grid, order and η).")
    var latentSampler: SamplerKind?
    @Option(help: ArgumentHelp(
        "Langevin corrector moves per noise level, between ancestral steps (default with --sampler ancestral: \(ModelDomain.molecules.defaultCorrectorSteps) for molecule models, \(ModelDomain.shapes.defaultCorrectorSteps) for shapes; 0 turns them off).",
        discussion: """
        Predictor–corrector sampling (Song et al. 2021): at each of the last --corrector-levels \
        levels t, z ← z − 2r²σ_t ε̂ + 2rσ_t ξ before the ancestral step. It pulls the chain back \
        to the model's own p_t and sharpens bond lengths; each move costs one more network call.
        """))
    var correctorSteps: Int?
    @Option(help: "Noise levels the corrector works at: the last N, t = N … 1 (default 200).") var correctorLevels: Int?
    @Option(help: "The lowest level the corrector works at (default 1).") var correctorLowestLevel: Int?
    @Option(help: "Signal-to-noise ratio r of a corrector move (default 0.2).") var correctorSnr: Double?

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let latentSteps, latentSteps < 1 { throw ValidationError("--latent-steps must be at least 1") }
        if let correctorSteps, correctorSteps < 0 { throw ValidationError("--corrector-steps must be at least 0") }
        if let correctorLevels, correctorLevels < 1 { throw ValidationError("--corrector-levels must be at least 1") }
        if let correctorLowestLevel, !(1 ... (correctorLevels ?? Int.max)).contains(correctorLowestLevel) {
            throw ValidationError("--corrector-lowest-level must be in 1 … --corrector-levels")
        }
        if let correctorSnr, !(correctorSnr.isFinite && correctorSnr > 0) { throw ValidationError("--corrector-snr must be > 0") }
        if let sampler, sampler != .ancestral, let correctorSteps, correctorSteps > 0 {
            throw ValidationError("--corrector-steps needs --sampler ancestral; "
                                  + (sampler == .ddim ? "DDIM is deterministic" : "\(sampler.rawValue) takes no corrector"))
        }
        if let order, let sampler, sampler != .dpmSolver && sampler != .sdeDPMSolver || !(1 ... 2).contains(order) {
            throw ValidationError("--order takes 1 or 2, with --sampler dpm-solver++ or sde-dpm-solver++")
        }
        if let eta, let sampler, sampler != .sdeDPMSolver || !(eta.isFinite && eta >= 0) {
            throw ValidationError("--eta takes a value ≥ 0, with --sampler sde-dpm-solver++")
        }
    }

    /// Whether any option of the reverse process was given.
    var isGiven: Bool {
        sampler != nil || steps != nil || grid != nil || order != nil || eta != nil || latentSteps != nil || latentSampler != nil
            || correctorSteps != nil || correctorLevels != nil || correctorLowestLevel != nil || correctorSnr != nil
    }

    /// The reverse process for `card`'s model: the chain it was fine-tuned as (`PolicyChain`)
    /// when it has one and no option is given, else `settings(for:architecture:timesteps:)`.
    func settings(for card: ModelCard) throws -> SamplingSettings {
        if !isGiven, let chain = card.policyChain {
            return chain.settings(for: card.domain, architecture: card.architecture, timesteps: card.timesteps)
        }
        return try settings(for: card.domain, architecture: card.architecture, timesteps: card.timesteps)
    }

    /// The reverse process for a model of `domain` and `architecture` with T = `timesteps`:
    /// without `--sampler` the model's default chain, with it that sampler's own defaults (an
    /// ancestral chain over all T steps with the domain's `defaultCorrectorSteps` at the last 200
    /// levels, r = 0.2), each adjusted by the options given.
    func settings(for domain: ModelDomain, architecture: ModelArchitecture, timesteps: Int) throws -> SamplingSettings {
        var settings = domain.defaultSampling(timesteps: timesteps, architecture: architecture)
        if let sampler {
            let moves = sampler == .ancestral ? domain.defaultCorrectorSteps : 0
            settings = SamplingSettings(kind: sampler, corrector: moves == 0 ? nil
                                            : try LangevinCorrector(steps: moves, levels: 200, snr: 0.2))
        }
        if let steps { settings.steps = steps }
        if let grid { settings.grid = grid }
        if let order { settings.order = order }
        if let eta { settings.eta = eta }
        if let latentSteps { settings.latentSteps = latentSteps }
        if let latentSampler { settings.latentKind = latentSampler }
        let base = settings.corrector
        let moves = correctorSteps ?? base?.steps ?? 0
        settings.corrector = moves == 0 ? nil : try LangevinCorrector(
            steps: moves, levels: correctorLevels ?? base?.levels ?? 200,
            lowestLevel: correctorLowestLevel ?? base?.lowestLevel ?? 1, snr: correctorSnr ?? base?.snr ?? 0.2)
        return settings
    }
}
