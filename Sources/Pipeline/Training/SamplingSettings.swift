import Diffusion
import Foundation

/// How a sampling run drew its graphs, for its report: the reverse process,
/// its steps and the Langevin corrector, if any.
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
