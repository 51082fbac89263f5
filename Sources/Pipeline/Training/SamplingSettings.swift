import Diffusion
import Foundation

/// The reverse process a sampling run draws its graphs with, and its report
/// records: the sampler, its steps and the Langevin corrector, if any.
public struct SamplingSettings: Sendable, Equatable {
    public var kind: SamplerKind
    /// Strided steps (nil: all T for ancestral, DDIM's default).
    public var steps: Int?
    public var corrector: LangevinCorrector?

    public init(kind: SamplerKind, steps: Int? = nil, corrector: LangevinCorrector? = nil) {
        self.kind = kind
        self.steps = steps
        self.corrector = corrector
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

    /// E.g. "ancestral sampler, all T steps, Langevin corrector (3 moves at each of the last 200 levels, r = 0.2)".
    public var summary: String {
        var text = "\(kind.rawValue) sampler, " + (steps.map { "\($0) steps" } ?? (kind == .ancestral ? "all T steps" : "default steps"))
        if let corrector {
            text += ", Langevin corrector (\(corrector.steps) move\(corrector.steps == 1 ? "" : "s") at each of the last "
                + "\(corrector.levels) levels, r = \(corrector.snr))"
        }
        return text
    }

    /// The settings as report JSON.
    public var json: [String: Any] {
        var corrector: Any = NSNull()
        if let c = self.corrector { corrector = ["steps": c.steps, "levels": c.levels, "snr": c.snr] as [String: Any] }
        return ["sampler": kind.rawValue, "steps": steps.map { $0 as Any } ?? NSNull(), "corrector": corrector]
    }
}
