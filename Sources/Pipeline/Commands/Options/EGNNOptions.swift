import ArgumentParser
import Diffusion

/// The EGNN's options (EDM's denoiser).
struct EGNNOptions: ParsableArguments {
    @Option(help: "EGNN layers.") var layers = 4
    @Option(help: "Hidden width.") var hidden = 64
    @Option(help: "Neighbours per point for shapes (k-nearest-neighbour graph).") var neighbours = 16
    @Option(help: ArgumentHelp(
        "Global context in each node update: mean (each graph's mean feature) or none (EDM's model).",
        discussion: "Default: mean for shapes, none for molecules; when resuming, the run's own choice."))
    var pooling: GlobalPooling?

    func validate() throws {
        if layers < 1 || hidden < 1 { throw ValidationError("--layers and --hidden must be at least 1") }
        if neighbours < 1 { throw ValidationError("--neighbours must be at least 1") }
    }

    /// EDM's EGNN on molecules' full graphs (E(3)); on shapes, translation-equivariant on
    /// k-nearest-neighbour graphs. Pooling not given is `saved`'s, else the domain's default.
    func configuration(for data: TrainingData, saved: EGNNConfiguration?) -> EGNNConfiguration {
        let pooling = pooling ?? saved?.globalPooling ?? data.domain.defaultGlobalPooling
        switch data {
        case let .molecules(source):
            return EGNNConfiguration(featureWidth: source.featureWidth, layers: layers, hidden: hidden, globalPooling: pooling)
        case .shapes:
            return EGNNConfiguration(featureWidth: 0, layers: layers, hidden: hidden, symmetry: .translation,
                                     connectivity: .nearestNeighbours(k: neighbours), globalPooling: pooling)
        }
    }
}
