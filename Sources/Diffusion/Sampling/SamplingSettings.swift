import Foundation

/// Which reverse process draws samples.
public enum SamplerKind: String, Codable, Sendable, CaseIterable {
    /// EDM's ancestral sampler over all T steps, or a strided subset.
    case ancestral
    /// DDIM, deterministic, over strided steps.
    case ddim
    /// DPM-Solver++(2M): the probability-flow ODE, second-order multistep.
    case dpmSolver = "dpm-solver++"
    /// SDE-DPM-Solver++(2M): the reverse SDE (η = 1), or more noise with η > 1.
    case sdeDPMSolver = "sde-dpm-solver++"
}

/// The reverse process a sampling run draws its graphs with: the sampler, its
/// steps and their grid, the Langevin corrector, and for latent models the chain
/// of the latents.
public struct SamplingSettings: Sendable, Equatable {
    public var kind: SamplerKind
    /// Steps before the final call (nil: all T for ancestral, 100 for DDIM, 100 for DPM-Solver++).
    public var steps: Int?
    /// Where the steps lie (nil: uniform for ancestral and DDIM, uniform in log-SNR for DPM-Solver++).
    public var grid: TimestepGrid?
    /// DPM-Solver++: 1 or 2 (nil: 2).
    public var order: Int?
    /// SDE-DPM-Solver++: the noise η (nil: 1).
    public var eta: Double?
    public var corrector: LangevinCorrector?
    /// Latent models: steps of the latent prior's chain, of the same kind (nil:
    /// all T for ancestral, `steps` otherwise). Models without latents refuse it.
    public var latentSteps: Int?
    /// Latent models: the sampler of the latent chain (nil: `kind`, with its grid, order and η).
    public var latentKind: SamplerKind?
    /// Where the chain stops: 0, or the early stop t0 of a model trained with
    /// `ConditionalTraining.earlyStop`, whose last call decodes from z_t0. The steps' grid
    /// covers t0 … T; "all T steps" of the ancestral sampler become T − t0.
    public var stop: Int = 0

    public init(kind: SamplerKind, steps: Int? = nil, grid: TimestepGrid? = nil, order: Int? = nil, eta: Double? = nil,
                corrector: LangevinCorrector? = nil, latentSteps: Int? = nil, latentKind: SamplerKind? = nil) {
        self.kind = kind
        self.steps = steps
        self.grid = grid
        self.order = order
        self.eta = eta
        self.corrector = corrector
        self.latentSteps = latentSteps
        self.latentKind = latentKind
    }

    /// Whether the settings name a latent chain, which only latent models have.
    public var hasLatentChain: Bool { latentSteps != nil || latentKind != nil }

    /// The sampler on `process`: ancestral over all T steps or `steps` on the
    /// grid, as the predictor of a predictor–corrector sampler when a corrector
    /// is given; DDIM or DPM-Solver++ over `steps` (default min(100, T)), which take no corrector.
    public func makeSampler(process: DiffusionProcess) throws -> any Sampler {
        if kind != .ancestral, corrector != nil {
            throw DiffusionError.invalidConfiguration("a Langevin corrector needs the ancestral sampler, not \(kind.rawValue)")
        }
        if kind != .dpmSolver && kind != .sdeDPMSolver, order != nil {
            throw DiffusionError.invalidConfiguration("an order applies to DPM-Solver++, not \(kind.rawValue)")
        }
        if kind != .sdeDPMSolver, eta != nil {
            throw DiffusionError.invalidConfiguration("η applies to SDE-DPM-Solver++, not \(kind.rawValue)")
        }
        let defaultSteps = min(100, process.timesteps - stop)
        switch kind {
        case .ancestral:
            let predictor = try steps.map { try AncestralSampler(process: process, steps: $0, grid: grid ?? .uniform, stop: stop) }
                ?? (grid != nil || stop > 0
                    ? try AncestralSampler(process: process, steps: process.timesteps - stop, grid: grid ?? .uniform, stop: stop)
                    : AncestralSampler(process: process))
            guard let corrector else { return predictor }
            return PredictorCorrectorSampler(predictor: predictor, corrector: corrector)
        case .ddim:
            return try DDIMSampler(process: process, steps: steps ?? defaultSteps, grid: grid ?? .uniform, stop: stop)
        case .dpmSolver, .sdeDPMSolver:
            return try DPMSolverSampler(process: process, steps: steps ?? defaultSteps, grid: grid ?? .logSNR,
                                        order: order ?? 2, eta: kind == .dpmSolver ? 0 : eta ?? 1, stop: stop)
        }
    }

    /// The chain of a latent model's latents, without a corrector: `kind` with its grid, order and
    /// η, or `latentKind` with its own defaults; `latentSteps` steps (nil: all T for ancestral,
    /// otherwise `steps` for the same kind, the kind's default for another).
    public var latentChain: SamplingSettings {
        guard let latentKind, latentKind != kind else {
            return SamplingSettings(kind: kind, steps: latentSteps ?? (kind == .ancestral ? nil : steps), grid: grid,
                                    order: order, eta: eta)
        }
        return SamplingSettings(kind: latentKind, steps: latentSteps)
    }

    /// E.g. "ancestral sampler, all T steps, Langevin corrector (3 moves at each of the last 200 levels, r = 0.2)".
    public var summary: String {
        let stepText = steps.map { "\($0) steps" } ?? (kind == .ancestral ? "all T steps" : "default steps")
        var text = "\(kind.rawValue) sampler, " + stepText
        if let grid { text += " (\(grid) grid)" }
        if let order { text += ", order \(order)" }
        if let eta { text += ", η = \(eta)" }
        if let corrector {
            let levels = corrector.lowestLevel == 1 ? "the last \(corrector.levels) levels"
                : "the levels \(corrector.levels) … \(corrector.lowestLevel)"
            text += ", Langevin corrector (\(corrector.steps) move\(corrector.steps == 1 ? "" : "s") at each of "
                + "\(levels), r = \(corrector.snr))"
        }
        if stop > 0 { text += ", stopped at t0 = \(stop)" }
        if let latentKind { text += ", latent chain \(latentKind.rawValue)" }
        if let latentSteps { text += (latentKind == nil ? ", latent chain " : " ") + "\(latentSteps) steps" }
        return text
    }
}
