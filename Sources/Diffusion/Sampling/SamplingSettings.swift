import Foundation

/// Which reverse process draws samples.
public enum SamplerKind: String, Codable, Sendable, CaseIterable {
    /// EDM's ancestral sampler over all T steps, or a strided subset.
    case ancestral
    /// DDIM, deterministic, over strided steps.
    case ddim
}

/// The reverse process a sampling run draws its graphs with: the sampler, its
/// steps, the Langevin corrector, and for latent models the chain of the latents.
public struct SamplingSettings: Sendable, Equatable {
    public var kind: SamplerKind
    /// Strided steps (nil: all T for ancestral, DDIM's default).
    public var steps: Int?
    public var corrector: LangevinCorrector?
    /// Latent models: steps of the latent prior's chain, of the same kind (nil:
    /// all T for ancestral, `steps` for DDIM). Models without latents refuse it.
    public var latentSteps: Int?

    public init(kind: SamplerKind, steps: Int? = nil, corrector: LangevinCorrector? = nil, latentSteps: Int? = nil) {
        self.kind = kind
        self.steps = steps
        self.corrector = corrector
        self.latentSteps = latentSteps
    }

    /// The sampler on `process`: ancestral over all T steps or `steps` strided
    /// ones, as the predictor of a predictor–corrector sampler when a corrector
    /// is given; DDIM over `steps`, default min(100, T), which takes no corrector.
    public func makeSampler(process: DiffusionProcess) throws -> any Sampler {
        switch kind {
        case .ancestral:
            let predictor = try steps.map { try AncestralSampler(process: process, steps: $0) } ?? AncestralSampler(process: process)
            guard let corrector else { return predictor }
            return PredictorCorrectorSampler(predictor: predictor, corrector: corrector)
        case .ddim:
            if corrector != nil { throw DiffusionError.invalidConfiguration("a Langevin corrector needs the ancestral sampler, not DDIM") }
            return try DDIMSampler(process: process, steps: steps ?? min(100, process.timesteps))
        }
    }

    /// The chain of a latent model's latents: the same kind, `latentSteps` steps, no corrector.
    public var latentChain: SamplingSettings {
        SamplingSettings(kind: kind, steps: latentSteps ?? (kind == .ddim ? steps : nil))
    }

    /// E.g. "ancestral sampler, all T steps, Langevin corrector (3 moves at each of the last 200 levels, r = 0.2)".
    public var summary: String {
        var text = "\(kind.rawValue) sampler, " + (steps.map { "\($0) steps" } ?? (kind == .ancestral ? "all T steps" : "default steps"))
        if let corrector {
            text += ", Langevin corrector (\(corrector.steps) move\(corrector.steps == 1 ? "" : "s") at each of the last "
                + "\(corrector.levels) levels, r = \(corrector.snr))"
        }
        if let latentSteps { text += ", latent chain \(latentSteps) steps" }
        return text
    }
}
