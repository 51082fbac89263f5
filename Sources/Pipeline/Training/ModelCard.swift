import Diffusion
import Foundation

/// What kind of data a model generates.
public enum ModelDomain: String, Codable, Sendable, CaseIterable {
    case molecules
    case shapes

    /// The EGNN's global pooling when training is not told otherwise: point
    /// clouds on k-nearest-neighbour graphs need the graph-wide context (without
    /// it samples come out as blobs); molecules keep EDM's model.
    public var defaultGlobalPooling: GlobalPooling {
        switch self {
        case .molecules: GlobalPooling.none
        case .shapes: .mean
        }
    }
}

/// Everything needed to rebuild a trained model and decode its samples,
/// stored as the JSON `modelConfiguration` of every checkpoint: the denoiser's
/// hyper-parameters, the diffusion process, the node-count distribution and
/// the domain's encoding (atom vocabulary or point count).
public struct ModelCard: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version = ModelCard.currentVersion
    public var domain: ModelDomain
    public var egnn: EGNNConfiguration
    public var scaling: FeatureScaling
    public var schedule: ScheduleKind
    public var timesteps: Int
    /// polynomial2's precision s (EDM: 1e-5).
    public var schedulePrecision: Double
    /// p(M): node counts of the training graphs (EDM §3.5).
    public var nodeCounts: NodeCountDistribution
    /// Molecules: the atom vocabulary, atomic numbers in one-hot order.
    public var atomicNumbers: [Int]
    /// Molecules: whether the atomic number is appended as a feature (EDM's "charges").
    public var includesAtomicNumber: Bool
    /// The training set (as given on the command line) and its split.
    public var dataset: String
    public var split: String
    /// The code version that trained it.
    public var codeVersion: String = RGDMVersion.string

    /// The denoiser this card describes, using `threads` workers.
    public func makeDenoiser(threads: Int) -> EGNN { EGNN(egnn, threads: threads) }

    /// The diffusion process this card describes.
    public func makeProcess() throws -> DiffusionProcess {
        DiffusionProcess(
            schedule: try schedule.makeSchedule(timesteps: timesteps, precision: schedulePrecision),
            scaling: scaling, symmetry: egnn.symmetry)
    }

    /// JSON text for `Checkpoint.modelConfiguration`.
    public func encodedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads the card stored in a checkpoint.
    public init(checkpoint: Checkpoint, path: String) throws {
        do {
            self = try JSONDecoder().decode(ModelCard.self, from: Data(checkpoint.modelConfiguration.utf8))
        } catch {
            throw PipelineError.invalidModel(path: path, reason: "its model card is unreadable: \(error)")
        }
        guard version <= ModelCard.currentVersion else {
            throw PipelineError.invalidModel(path: path, reason: "model card version \(version) is newer than this rgdm (\(ModelCard.currentVersion))")
        }
    }

    public init(domain: ModelDomain, egnn: EGNNConfiguration, scaling: FeatureScaling, schedule: ScheduleKind,
                timesteps: Int, schedulePrecision: Double, nodeCounts: NodeCountDistribution,
                atomicNumbers: [Int] = [], includesAtomicNumber: Bool = false, dataset: String, split: String) {
        self.domain = domain
        self.egnn = egnn
        self.scaling = scaling
        self.schedule = schedule
        self.timesteps = timesteps
        self.schedulePrecision = schedulePrecision
        self.nodeCounts = nodeCounts
        self.atomicNumbers = atomicNumbers
        self.includesAtomicNumber = includesAtomicNumber
        self.dataset = dataset
        self.split = split
    }
}
