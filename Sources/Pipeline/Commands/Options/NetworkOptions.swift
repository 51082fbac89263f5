import ArgumentParser
import Diffusion

/// `rgdm train`'s network options: the architecture and each architecture's
/// own group, which turns them into its `ModelConfiguration`.
struct NetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Network: egnn, or latent-points (shapes only).",
                               discussion: "Default: latent-points for shapes, egnn for molecules; when resuming, the run's own."))
    var architecture: ModelArchitecture?

    @OptionGroup(title: "EGNN (--architecture egnn)") var egnn: EGNNOptions
    @OptionGroup(title: "Latent point diffusion (--architecture latent-points)") var latentPoints: LatentPointOptions

    /// The network for `data`: the architecture given, else the saved run's, else the domain's default;
    /// settings not given come from `saved` (a run being resumed) where the architecture keeps them.
    func configuration(for data: TrainingData, dataset: String, saved: ModelCard?) throws -> AnyModelConfiguration {
        switch architecture ?? saved?.architecture ?? data.domain.defaultArchitecture {
        case .egnn:
            return AnyModelConfiguration(egnn.configuration(for: data, saved: saved?.network.as(EGNNConfiguration.self)))
        case .latentPoints:
            guard data.domain == .shapes else {
                throw ValidationError("--architecture latent-points generates shapes; \(dataset) holds molecules")
            }
            return AnyModelConfiguration(latentPoints.configuration(saved: saved?.network.as(LatentPointConfiguration.self)))
        }
    }
}
