import Diffusion

/// The reverse chain a model was fine-tuned as, when fine-tuning made one chain its policy: DDPO
/// trains the transitions of EDM's ancestral sampler on `steps` strided steps (of the latent
/// prior, for shape models), so that chain, not the model's default one, is what its reward was
/// raised for. `rgdm sample` draws with it unless sampler options are given.
public struct PolicyChain: Codable, Sendable, Equatable {
    /// The fine-tuning method that made the chain a policy ("ddpo").
    public var method: String
    /// Strided ancestral steps.
    public var steps: Int

    public init(method: String, steps: Int) {
        self.method = method
        self.steps = steps
    }

    /// The chain as sampler settings for a model of `domain`: molecules sample on it whole; a
    /// latent point model's prior samples on it, its decoder on the domain's default chain.
    public func settings(for domain: ModelDomain, architecture: ModelArchitecture, timesteps: Int) -> SamplingSettings {
        switch domain {
        case .molecules:
            var settings = SamplingSettings(kind: .ancestral, corrector: nil)
            settings.steps = steps
            return settings
        case .shapes:
            var settings = domain.defaultSampling(timesteps: timesteps, architecture: architecture)
            settings.latentKind = .ancestral
            settings.latentSteps = steps
            return settings
        }
    }

    public var summary: String { "the chain it was fine-tuned as (\(method): \(steps) strided ancestral steps)" }
}
