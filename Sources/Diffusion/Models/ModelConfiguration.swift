/// Which network a model is: one case per `ModelConfiguration` conformer.
public enum ModelArchitecture: String, Codable, Sendable, CaseIterable {
    /// EDM's EGNN denoiser on the whole graph (molecules, or shapes on k-NN graphs).
    case egnn
    /// Luo & Hu's latent point diffusion: PointNet encoder, pointwise decoder
    /// conditioned on a shape latent, and a diffusion prior over latents (shapes).
    case latentPoints = "latent-points"

    /// The configuration type that describes models of this architecture.
    public var configurationType: any ModelConfiguration.Type {
        switch self {
        case .egnn: EGNNConfiguration.self
        case .latentPoints: LatentPointConfiguration.self
        }
    }
}

/// The hyper-parameters of one architecture: what builds its `DiffusionModel`,
/// describes it, and says which trained weights carry over to it.
public protocol ModelConfiguration: Codable, Sendable, Equatable {
    static var architecture: ModelArchitecture { get }

    /// The model on a noise `schedule`; `scaling` maps the data's node features
    /// to diffusion space (identity of width 0 for point clouds).
    func makeModel(schedule: any NoiseSchedule, scaling: FeatureScaling, threads: Int) throws -> any DiffusionModel

    /// (name, value) rows for `rgdm info`, reports and logs.
    var descriptionRows: [(String, String)] { get }

    /// The hyper-parameters as JSON values (numbers, strings, arrays, NSNull).
    var summary: [String: Any] { get }

    /// Whether a run saved with `saved` continues as this configuration: the same
    /// networks, though training settings (such as a loss weight) may differ.
    func continues(_ saved: Self) -> Bool

    /// "prior draws per step 1 → 8" for each training setting that differs from `saved`'s.
    func settingChanges(from saved: Self) -> [String]

    /// Writes into `parameters` (this model's, freshly initialised) the weights of
    /// every network that `source`'s trained `sourceParameters` has too, and returns
    /// the names of the parts taken (empty when none matches).
    func transfer(from source: Self, parameters sourceParameters: [Float], into parameters: inout [Float]) throws -> [String]
}

extension ModelConfiguration {
    public func settingChanges(from saved: Self) -> [String] { [] }
}
