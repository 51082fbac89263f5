/// What a training step of a `LatentPointModel` updates.
public enum LatentTrainingPhase: String, Codable, Sendable, CaseIterable {
    /// Encoder, decoder and prior together (the joint objective).
    case joint
    /// The prior alone, on latents of the encoder as it is: no decoder pass and no
    /// encoder backward, so a step costs a fraction of a joint one. For a last phase
    /// once the encoder has settled (a jointly trained prior chases a moving target).
    case prior
}

/// What the latent prior is trained to generate.
public enum LatentPriorTarget: String, Codable, Sendable, CaseIterable {
    /// Posterior samples z = μ + σ ε (LION): p(z) models the aggregate posterior.
    case sample
    /// Posterior means μ: an ex-post density of the training set's codes (Ghosh et al. 2020's
    /// regularised auto-encoders). With a small β, σ is as large as the spread of μ in most
    /// dimensions; the decoder is trained on noisy z and decodes μ as well (that is how
    /// reconstructions are made), so sampling means gives sharper shapes.
    case mean
}

/// The networks of a `LatentPointModel`, in the order of its parameter vector.
public enum LatentPointPart: String, Sendable, CaseIterable {
    case encoder, decoder, prior
}

/// Hyper-parameters of a `LatentPointModel`.
public struct LatentPointConfiguration: Codable, Sendable, Equatable {
    /// Z, the width of the shape latent.
    public var latentWidth: Int
    /// Encoder: per-point widths after the 3 coordinates, then the head's widths before [μ, log σ²].
    public var encoderPointWidths: [Int]
    public var encoderHeadWidths: [Int]
    /// Pointwise decoder ε_θ(x_t, t, z): hidden widths between 3 and 3.
    public var decoderWidths: [Int]
    /// Latent prior ε_ψ(z_t, t): hidden widths between Z and Z.
    public var priorWidths: [Int]
    /// Points per cloud the decoder is trained on in a step, drawn at random
    /// (nil: all). Given z the points are independent, so a subset is an
    /// unbiased estimate of the decoder's loss at a fraction of its cost;
    /// the encoder always sees the whole cloud.
    public var decoderPointsPerStep: Int?
    /// Noise draws (t, ε) per latent in the prior's loss each step (nil: 1). The prior is a
    /// small network on one vector per shape, so several draws cost little next to the
    /// decoder and give it that many times the training signal.
    public var priorDrawsPerStep: Int?
    public var priorDraws: Int { priorDrawsPerStep ?? 1 }
    /// What a step trains (nil: joint).
    public var trainingPhase: LatentTrainingPhase?
    public var phase: LatentTrainingPhase { trainingPhase ?? .joint }
    /// What the prior learns (nil: posterior samples).
    public var priorTarget: LatentPriorTarget?
    public var target: LatentPriorTarget { priorTarget ?? .sample }
    /// Width of the prior's condition c in ε_ψ(z_t, t, c) (nil: 0, an unconditional prior). A
    /// class-conditional prior takes a one-hot of the class and a presence channel, so that the
    /// zero row stays the null condition ∅ of classifier-free guidance (`ConditionalTraining`).
    public var priorConditionWidth: Int?
    public var priorConditions: Int { priorConditionWidth ?? 0 }
    /// β of the KL term β·KL(q(z | X) ‖ N(0, I)), per cloud, summed over the Z dimensions.
    public var klWeight: Double

    /// Defaults: the shipped shapes model's (models/README.md). Luo & Hu's decoder widths; a
    /// narrower PointNet than theirs (64–128–256; 512 wide costs twice the time for no gain
    /// seen here); β = 1e-5, since with t uniform over EDM's schedule most of the decoder's
    /// loss cannot use z, and at Luo & Hu's 1e-3 the KL closed the channel (10 nats in all).
    public init(latentWidth: Int = 128, encoderPointWidths: [Int] = [64, 128, 256], encoderHeadWidths: [Int] = [256],
                decoderWidths: [Int] = [128, 256, 512, 256, 128], priorWidths: [Int] = [512, 512, 512], decoderPointsPerStep: Int? = 128,
                priorDrawsPerStep: Int? = nil, trainingPhase: LatentTrainingPhase? = nil, priorTarget: LatentPriorTarget? = nil,
                klWeight: Double = 1e-5, priorConditionWidth: Int? = nil) {
        self.latentWidth = latentWidth
        self.encoderPointWidths = encoderPointWidths
        self.encoderHeadWidths = encoderHeadWidths
        self.decoderWidths = decoderWidths
        self.priorWidths = priorWidths
        self.decoderPointsPerStep = decoderPointsPerStep
        self.priorDrawsPerStep = priorDrawsPerStep
        self.trainingPhase = trainingPhase
        self.priorTarget = priorTarget
        self.klWeight = klWeight
        self.priorConditionWidth = priorConditionWidth
    }

    /// Throws `DiffusionError.invalidConfiguration` for empty or non-positive widths or a bad β.
    public func validate() throws {
        guard latentWidth > 0 else { throw DiffusionError.invalidConfiguration("latent width \(latentWidth) must be > 0") }
        for (name, widths) in [("encoder point", encoderPointWidths), ("decoder", decoderWidths), ("prior", priorWidths)] {
            guard !widths.isEmpty, widths.allSatisfy({ $0 > 0 }) else {
                throw DiffusionError.invalidConfiguration("\(name) widths \(widths) must be non-empty and > 0")
            }
        }
        guard encoderHeadWidths.allSatisfy({ $0 > 0 }) else {
            throw DiffusionError.invalidConfiguration("encoder head widths \(encoderHeadWidths) must be > 0")
        }
        if let points = decoderPointsPerStep, points < 1 {
            throw DiffusionError.invalidConfiguration("decoder points per step \(points) must be ≥ 1")
        }
        guard priorConditions >= 0 else {
            throw DiffusionError.invalidConfiguration("prior condition width \(priorConditions) must be ≥ 0")
        }
        guard priorDraws >= 1 else { throw DiffusionError.invalidConfiguration("prior draws per step \(priorDraws) must be ≥ 1") }
        guard klWeight.isFinite, klWeight >= 0 else {
            throw DiffusionError.invalidConfiguration("KL weight \(klWeight) must be finite and ≥ 0")
        }
    }

    /// Whether `other` has the same networks (widths), so that a checkpoint of one runs
    /// as the other; the training settings (points and prior draws per step, phase, target, β) may differ.
    public func hasSameNetworks(as other: LatentPointConfiguration) -> Bool {
        LatentPointPart.allCases.allSatisfy { hasSame($0, as: other) }
    }

    /// Whether `part`'s network is the same in `other` (so its weights carry over).
    public func hasSame(_ part: LatentPointPart, as other: LatentPointConfiguration) -> Bool {
        guard latentWidth == other.latentWidth else { return false }
        switch part {
        case .encoder: return encoderPointWidths == other.encoderPointWidths && encoderHeadWidths == other.encoderHeadWidths
        case .decoder: return decoderWidths == other.decoderWidths
        case .prior: return priorWidths == other.priorWidths && priorConditions == other.priorConditions
        }
    }
}
