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
    /// `architecture` with T = `timesteps` (fewer steps than T when T is small). Molecules:
    /// SDE-DPM-Solver++ with η = 5 on 200 steps crowded at low noise (t_k = T (k/200)³), 201
    /// network calls, as good on the shipped QM9 model as EDM's 1,000-step chain with 600
    /// Langevin moves. Latent-points shapes: the ancestral chain on 30 strided steps for the
    /// points and SDE-DPM-Solver++ on 100 steps for the latents, a third of the time of 100
    /// ancestral steps and 1,000 for the latents at the same 1-NNA (models/README.md). Shapes
    /// on an EGNN: EDM's ancestral chain over all T steps.
    public func defaultSampling(timesteps: Int, architecture: ModelArchitecture) -> SamplingSettings {
        switch (self, architecture) {
        case (.molecules, _):
            SamplingSettings(kind: .sdeDPMSolver, steps: min(200, timesteps), grid: .power(3), eta: 5)
        case (.shapes, .latentPoints):
            SamplingSettings(kind: .ancestral, steps: min(30, timesteps), latentSteps: min(100, timesteps),
                             latentKind: .sdeDPMSolver)
        case (.shapes, .egnn):
            SamplingSettings(kind: .ancestral)
        }
    }
}
