import Diffusion

/// What kind of data a model generates.
public enum ModelDomain: String, Codable, Sendable, CaseIterable {
    case molecules
    case shapes

    /// The network when training is not told otherwise: the EGNN for molecules (EDM),
    /// latent point diffusion for shapes (Luo & Hu; far better samples than an EGNN on
    /// k-NN graphs, models/README.md).
    public var defaultArchitecture: ModelArchitecture {
        switch self {
        case .molecules: .egnn
        case .shapes: .latentPoints
        }
    }

    /// The EGNN's global pooling when training is not told otherwise: point
    /// clouds on k-nearest-neighbour graphs need the graph-wide context (without
    /// it samples come out as blobs); molecules keep EDM's model.
    public var defaultGlobalPooling: GlobalPooling {
        switch self {
        case .molecules: GlobalPooling.none
        case .shapes: .mean
        }
    }

    /// Langevin corrector moves per noise level of an ancestral chain asked for with
    /// `--sampler ancestral` and no `--corrector-steps`: 3 for molecules, where they sharpen
    /// bond lengths (EDM's chain with 600 moves, models/README.md); none for shapes.
    public var defaultCorrectorSteps: Int {
        switch self {
        case .molecules: 3
        case .shapes: 0
        }
    }

    /// The reverse process `rgdm sample` draws with when given no `--sampler`, for a model of
    /// T = `timesteps` (fewer steps than T when T is small). Molecules: SDE-DPM-Solver++ with
    /// η = 5 on 200 steps crowded at low noise (t_k = T (k/200)³), 201 network calls, as good
    /// on the shipped QM9 model as EDM's 1,000-step chain with 600 Langevin moves
    /// (models/README.md).
    public func defaultSampling(timesteps: Int) -> SamplingSettings {
        switch self {
        case .molecules:
            SamplingSettings(kind: .sdeDPMSolver, steps: min(200, timesteps), grid: .power(3), eta: 5)
        case .shapes:
            SamplingSettings(kind: .ancestral)
        }
    }
}
