import Diffusion
import Foundation
import PointCloud

/// Everything a latent property model file says besides its weights (`rgdm train-property
/// --noise-aware --guides MODEL` on a shape set): the task (a classifier of the set's categories,
/// or a regressor of a `ShapeProperty` with its standardisation), the set and split it trained on,
/// the network, the latent space it reads (the latent point model's encoder), the forward process
/// of a noise-aware model, and its held-out scores. Stored as the model configuration of the
/// `Checkpoint` that holds the weights, so a run resumes exactly.
public struct LatentPropertyCard: Sendable, Codable, Equatable, FormattedCheckpointCard {
    /// Marks a checkpoint as a latent property model's.
    public static let format = "rgdm-latent-property-model"
    static let kind = "latent property model", writer = "rgdm train-property --noise-aware --guides MODEL on a shape set"

    public var format = LatentPropertyCard.format
    public var task: ShapeTask
    public var dataset: String
    public var split: String
    public var network: LatentPropertyConfiguration
    /// The latents it reads.
    public var space: LatentSpace
    /// How a cloud is normalised before a regressor's label is computed from it (`ShapeProperty`).
    public var labelNormalization: PointCloudNormalization
    /// The forward process a noise-aware model learnt (the prior's); nil: clean latents only.
    public var noise: PropertyModelCard.NoiseProcess?
    /// Held-out scores at t = 0 (clean latents of held-out clouds), filled when training ends.
    public var scores: ShapeModelScores?

    public init(task: ShapeTask, dataset: String, split: String, network: LatentPropertyConfiguration, space: LatentSpace,
                labelNormalization: PointCloudNormalization, noise: PropertyModelCard.NoiseProcess?) {
        self.task = task
        self.dataset = dataset
        self.split = split
        self.network = network
        self.space = space
        self.labelNormalization = labelNormalization
        self.noise = noise
    }

    /// E.g. "noise-aware classifier of 5 categories (airplane, …) of shape latents: 128→256→256→5, time-modulated; latents of models/shapes-lp.rgdm".
    public var modelDescription: String {
        let what = switch task {
        case let .classification(categories): "classifier of \(categories.count) categories (\(categories.joined(separator: ", ")))"
        case let .regression(property, _, _): "regressor of \(property.rawValue)"
        }
        return "\(noise == nil ? "" : "noise-aware ")\(what) of shape latents: \(network.summary); latents of \(space.model)"
    }

    /// Whether a run saved with `saved` can continue as this card describes.
    func continues(_ saved: LatentPropertyCard) -> Bool {
        saved.task == task && saved.network == network && saved.space.sameLatents(as: space) && saved.noise == noise
            && saved.labelNormalization == labelNormalization
    }
}

/// The latent space of a latent point model: its width and its encoder. A latent property model
/// reads the posterior means μ of that encoder, so it guides any model that shares it bit for bit
/// (the model it trained on, and prior-only fine-tunes of it: RGDM, RAFT, DDPO keep the encoder).
public struct LatentSpace: Sendable, Codable, Equatable {
    /// The model the latents came from, as given.
    public var model: String
    public var latentWidth: Int
    /// FNV-1a (64 bits) of the encoder's weights' bit patterns, hexadecimal.
    public var encoderFingerprint: String

    public init(model: String, latentWidth: Int, encoderFingerprint: String) {
        self.model = model
        self.latentWidth = latentWidth
        self.encoderFingerprint = encoderFingerprint
    }

    /// The space of `trained`, a latent point model; a typed error naming it otherwise.
    public init(of trained: TrainedModel) throws {
        guard let latent = trained.model as? LatentPointModel else {
            throw PipelineError.invalidModel(path: trained.source, reason: "latent property models read a latent point model's latents; this is \(trained.card.architecture.rawValue)")
        }
        self.init(model: trained.source, latentWidth: latent.latentWidth,
                  encoderFingerprint: Self.fingerprint(trained.parameters[latent.encoderRange]))
    }

    /// Same width and encoder (wherever the model now lies).
    public func sameLatents(as other: LatentSpace) -> Bool {
        latentWidth == other.latentWidth && encoderFingerprint == other.encoderFingerprint
    }

    /// FNV-1a over the weights' bit patterns, little-endian bytes: 16 hexadecimal digits.
    static func fingerprint(_ weights: ArraySlice<Float>) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for weight in weights {
            var bits = weight.bitPattern
            for _ in 0 ..< 4 {
                hash = (hash ^ UInt64(bits & 0xFF)) &* 0x0000_0100_0000_01B3
                bits >>= 8
            }
        }
        return String(format: "%016llx", hash)
    }
}
