import Diffusion
import Foundation

extension SamplingSettings {
    /// The settings as report JSON, with the network calls they cost per sample.
    func json(networkCalls: Int) -> [String: Any] {
        var corrector: Any = NSNull()
        if let c = self.corrector { corrector = ["steps": c.steps, "levels": c.levels, "lowest_level": c.lowestLevel, "snr": c.snr] as [String: Any] }
        func optional(_ value: Any?) -> Any { value ?? NSNull() }
        return ["sampler": kind.rawValue, "steps": optional(steps), "grid": optional(grid?.description),
                "order": optional(order), "eta": optional(eta), "corrector": corrector,
                "latent_steps": optional(latentSteps), "latent_sampler": optional(latentKind?.rawValue),
                "stop": stop, "network_calls_per_sample": networkCalls]
    }
}
