import Diffusion
import Foundation

extension SamplingSettings {
    /// The settings as report JSON.
    var json: [String: Any] {
        var corrector: Any = NSNull()
        if let c = self.corrector { corrector = ["steps": c.steps, "levels": c.levels, "snr": c.snr] as [String: Any] }
        return ["sampler": kind.rawValue, "steps": steps.map { $0 as Any } ?? NSNull(), "corrector": corrector,
                "latent_steps": latentSteps.map { $0 as Any } ?? NSNull()]
    }
}
