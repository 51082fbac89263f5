import Diffusion
@testable import Pipeline

extension ModelCard {
    /// The EGNN's configuration, nil for another architecture.
    var egnn: EGNNConfiguration? { network.as(EGNNConfiguration.self) }
    /// The latent point model's configuration, nil for another architecture.
    var latentPoints: LatentPointConfiguration? { network.as(LatentPointConfiguration.self) }
}
