import Diffusion
import Foundation

/// Everything needed to rebuild a trained model and decode its samples,
/// stored as the JSON `modelConfiguration` of every checkpoint: the denoiser's
/// hyper-parameters, the diffusion process, the node-count distribution and
/// the domain's encoding (atom vocabulary or point count).
public struct ModelCard: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version = ModelCard.currentVersion
    public var domain: ModelDomain
    /// The EGNN's hyper-parameters (also the symmetry and feature width of a latent-points model).
    public var egnn: EGNNConfiguration
    /// Set for a latent point diffusion model, whose networks it describes; nil for an EGNN.
    public var latentPoints: LatentPointConfiguration?
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
    /// Where a run's starting weights came from, when not a fresh initialisation
    /// (`rgdm train --initialize-from`): "models/shapes-lp.rgdm (step 75000): encoder, decoder".
    public var initializedFrom: String?

    public var architecture: ModelArchitecture { latentPoints == nil ? .egnn : .latentPoints }

    /// The EGNN this card describes, using `threads` workers.
    public func makeDenoiser(threads: Int) -> EGNN { EGNN(egnn, threads: threads) }

    /// The latent point model this card describes, training with `threads` workers (nil for an EGNN card).
    public func makeLatentModel(threads: Int = 1) throws -> LatentPointModel? {
        guard let latentPoints else { return nil }
        return try LatentPointModel(configuration: latentPoints,
                                    schedule: schedule.makeSchedule(timesteps: timesteps, precision: schedulePrecision),
                                    threads: threads)
    }

    /// The model's hyper-parameters as JSON: the EGNN's, or the latent point model's networks.
    public func summary(parameters: Int) -> [String: Any] {
        var result: [String: Any] = ["architecture": architecture.rawValue, "parameters": parameters,
                                     "symmetry": egnn.symmetry.rawValue]
        if let c = latentPoints {
            result["latent_width"] = c.latentWidth
            result["encoder_point_widths"] = c.encoderPointWidths
            result["encoder_head_widths"] = c.encoderHeadWidths
            result["decoder_widths"] = c.decoderWidths
            result["prior_widths"] = c.priorWidths
            result["kl_weight"] = c.klWeight
            result["decoder_points_per_step"] = c.decoderPointsPerStep.map { $0 as Any } ?? NSNull()
            result["prior_draws_per_step"] = c.priorDraws
            result["training_phase"] = c.phase.rawValue
            result["prior_target"] = c.target.rawValue
        } else {
            result["layers"] = egnn.layers
            result["hidden"] = egnn.hidden
            result["feature_width"] = egnn.featureWidth
            result["condition_width"] = egnn.conditionWidth
            result["global_pooling"] = egnn.globalPooling.rawValue
            result["connectivity"] = egnn.connectivity.description
            result["neighbours"] = egnn.connectivity.neighbours.map { $0 as Any } ?? NSNull()
        }
        return result
    }

    /// What training minimises for this model.
    public func makeObjective(threads: Int) throws -> any TrainingObjective {
        if let model = try makeLatentModel(threads: threads) { return model }
        return try DenoisingObjective(denoiser: makeDenoiser(threads: threads), process: makeProcess())
    }

    /// The model's hyper-parameters for `rgdm info`, reports and logs: (name, value) rows.
    public var modelRows: [(String, String)] {
        switch architecture {
        case .egnn:
            return [("architecture", "EGNN (EDM)"), ("layers × hidden", "\(egnn.layers) × \(egnn.hidden)"),
                    ("symmetry / connectivity", "\(egnn.symmetry.rawValue) / \(egnn.connectivity)"),
                    ("global pooling", egnn.globalPooling.rawValue)]
        case .latentPoints:
            let c = latentPoints!
            func widths(_ w: [Int]) -> String { w.map(String.init).joined(separator: "–") }
            return [("architecture", "latent point diffusion (Luo & Hu)"), ("latent width", "\(c.latentWidth)"),
                    ("encoder (PointNet)", "3–\(widths(c.encoderPointWidths)), max, \(widths(c.encoderHeadWidths + [2 * c.latentWidth]))"),
                    ("decoder (pointwise)", "3–\(widths(c.decoderWidths))–3"),
                    ("prior (latent diffusion)", "\(c.latentWidth)–\(widths(c.priorWidths))–\(c.latentWidth)"),
                    ("decoder points per step", c.decoderPointsPerStep.map(String.init) ?? "all"),
                    ("prior draws per step", "\(c.priorDraws)"), ("training phase", c.phase.rawValue),
                    ("prior target", c.target == .mean ? "posterior means" : "posterior samples"),
                    ("KL weight", "\(c.klWeight)")]
        }
    }

    /// The parts of a `source` model whose weights carry over to this card's model: the
    /// latent-points networks that are the same in both, or a whole EGNN of the same
    /// configuration and feature encoding (atom vocabulary, scaling). Each with its range
    /// in the source's vector and in this model's.
    public func transferableParts(from source: ModelCard) throws -> [(name: String, source: Range<Int>, target: Range<Int>)] {
        guard source.domain == domain else { return [] }
        if let mine = try makeLatentModel(), let theirs = try source.makeLatentModel() {
            return LatentPointPart.allCases.filter { mine.configuration.hasSame($0, as: theirs.configuration) }
                .map { ($0.rawValue, theirs.range(of: $0), mine.range(of: $0)) }
        }
        guard encodesFeaturesAsEGNN(of: source), source.egnn == egnn else { return [] }
        let all = 0 ..< makeDenoiser(threads: 1).parameterCount
        return [("network", all, all)]
    }

    /// Whether this card's EGNN can start as `source`'s grown wider and deeper
    /// (`EGNN.grown(from:parameters:initial:)`): the same feature encoding and
    /// settings, at least as many layers and units, not the same network.
    public func growsEGNN(of source: ModelCard) -> Bool {
        encodesFeaturesAsEGNN(of: source) && source.egnn != egnn && source.egnn.grows(into: egnn)
    }

    /// Both EGNN models of the same domain whose node features mean the same (atom vocabulary, scaling).
    private func encodesFeaturesAsEGNN(of source: ModelCard) -> Bool {
        source.domain == domain && architecture == .egnn && source.architecture == .egnn && source.scaling == scaling
            && source.atomicNumbers == atomicNumbers && source.includesAtomicNumber == includesAtomicNumber
    }

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
                atomicNumbers: [Int] = [], includesAtomicNumber: Bool = false, dataset: String, split: String,
                latentPoints: LatentPointConfiguration? = nil) {
        self.domain = domain
        self.egnn = egnn
        self.latentPoints = latentPoints
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
