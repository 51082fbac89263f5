import Diffusion
import Foundation
import PointCloud

/// A trained latent property model (`rgdm train-property --noise-aware --guides MODEL` on a shape
/// set): its card, its network and the weights it predicts with. It reads shape latents of one
/// latent point model's encoder; at t = 0 it classifies or regresses clean latents, and a
/// noise-aware one guides that model's prior chain (`guidance(target:…)`, `guidance(class:…)`).
///
///     let property = try LatentPropertyModel.open("height.rgdm")
///     try property.checkGuides(model)                              // same encoder, same forward process
///     let guidance = try property.guidance(target: 3.2, weight: 2)   // ε̂ ← ε̂ + σ_t w ∇ ½ (a′ − f(z_t, t))²
public struct LatentPropertyModel: Sendable {
    public let card: LatentPropertyCard
    public let network: LatentPropertyNetwork
    public let parameters: [Float]
    /// The file it came from, for errors.
    public let source: String

    public init(card: LatentPropertyCard, parameters: [Float], source: String) throws {
        try card.network.validate()
        let network = LatentPropertyNetwork(card.network)
        guard parameters.count == network.parameterCount else {
            throw PipelineError.invalidModel(path: source, reason: "\(parameters.count) weights for a network of \(network.parameterCount)")
        }
        self.card = card
        self.network = network
        self.parameters = parameters
        self.source = source
    }

    /// The latent property model at `path`: its EMA weights when it has them, else θ.
    public static func open(_ path: String) throws -> LatentPropertyModel {
        let checkpoint = try TrainedModel.checkpoint(at: path)
        return try LatentPropertyModel(card: LatentPropertyCard(checkpoint: checkpoint, path: path),
                                       parameters: checkpoint.state.ema?.weights ?? checkpoint.state.parameters, source: path)
    }

    /// Whether `path` holds a latent property model (not another checkpoint).
    public static func isStored(at path: String) -> Bool {
        (try? TrainedModel.checkpoint(at: path)).map(LatentPropertyCard.isStored(in:)) ?? false
    }

    /// The network's outputs at t = 0 for latents `[n, Z]`: `[n][K]`, in batches of `batchSize`.
    public func outputs(latents: [Float], batchSize: Int = 256) -> [[Float]] {
        let z = network.latentWidth, k = network.outputs, n = latents.count / z
        precondition(latents.count == n * z, "latents: \(latents.count) values are not rows of \(z)")
        var result: [[Float]] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let end = min(start + batchSize, n)
            let y = network.outputs(Array(latents[(start * z) ..< (end * z)]), time: [Float](repeating: 0, count: end - start),
                                    parameters: parameters)
            result += (0 ..< (end - start)).map { Array(y[($0 * k) ..< (($0 + 1) * k)]) }
        }
        return result
    }

    /// The most probable class of each latent (t = 0): `[n]`, indices into the card's categories.
    /// Throws for a regressor.
    public func classes(latents: [Float]) throws -> [Int] {
        guard case .classification = card.task else {
            throw PipelineError.invalidModel(path: source, reason: "a regressor of \(card.task.propertyName) gives no classes")
        }
        return outputs(latents: latents).map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
    }

    /// The regressor's property of each latent (t = 0), in its units: `[n]`. Throws for a classifier.
    public func values(latents: [Float]) throws -> [Double] {
        guard case let .regression(_, mean, scale) = card.task else {
            throw PipelineError.invalidModel(path: source, reason: "a classifier predicts classes, not a value")
        }
        return outputs(latents: latents).map { Double($0[0]) * scale + mean }
    }

    /// Throws `PipelineError.invalidModel` naming the file at fault unless this model can guide
    /// `model`: noise-aware, trained on the same encoder's latents (`LatentSpace`) and the same
    /// forward process (schedule, T, precision), and `model`'s prior unconditional.
    public func checkGuides(_ model: TrainedModel) throws {
        guard let noise = card.noise else {
            throw PipelineError.invalidModel(path: source, reason: "it was trained on clean latents; guidance needs a noise-aware model (rgdm train-property --noise-aware --guides MODEL)")
        }
        let space = try LatentSpace(of: model)
        guard space.sameLatents(as: card.space) else {
            throw PipelineError.invalidModel(
                path: source, reason: "it reads the latents of \(card.space.model) (width \(card.space.latentWidth), encoder \(card.space.encoderFingerprint)); "
                    + "\(model.source) encodes otherwise (width \(space.latentWidth), encoder \(space.encoderFingerprint))")
        }
        let diffusion = model.card
        guard diffusion.schedule == noise.schedule, diffusion.timesteps == noise.timesteps, diffusion.schedulePrecision == noise.precision else {
            throw PipelineError.invalidModel(
                path: source, reason: "it learnt the forward process \(noise.schedule.rawValue), T = \(noise.timesteps), precision \(noise.precision); "
                    + "the diffusion model's is \(diffusion.schedule.rawValue), T = \(diffusion.timesteps), precision \(diffusion.schedulePrecision)")
        }
        guard model.model.conditionWidth == 0 else {
            throw PipelineError.invalidModel(path: model.source, reason: "gradient guidance steers an unconditional prior; this one is conditional (sample it with --class)")
        }
    }

    /// Gradient guidance of a regressor toward `target` (property units), w on the standardised
    /// scale: ε̂ ← ε̂ + σ_t w ∇_z ½ (a′ − f(z_t, t))², a′ = (a − mean) / scale.
    public func guidance(target: Double, weight: Double, maximumRMS: Double? = nil) throws -> PropertyGuidance<NoiseAwareLatentProperty> {
        guard case let .regression(property, mean, scale) = card.task else {
            throw PipelineError.invalidCondition(reason: "\(source) is a classifier: ask for a class with --class, not a --target")
        }
        guard target.isFinite else { throw PipelineError.invalidCondition(reason: "the target of \(property.rawValue) must be finite, got \(target)") }
        return try PropertyGuidance(property: NoiseAwareLatentProperty(network: network, parameters: parameters, readout: .value),
                                    target: (target - mean) / scale, weight: weight, maximumRMS: maximumRMS)
    }

    /// Classifier guidance toward the class named `name`: ε̂ ← ε̂ − σ_t w ∇_z log p(c | z_t).
    public func guidance(class name: String, weight: Double, maximumRMS: Double? = nil) throws -> LogProbabilityGuidance<NoiseAwareLatentProperty> {
        guard case let .classification(categories) = card.task else {
            throw PipelineError.invalidCondition(reason: "\(source) is a regressor of \(card.task.propertyName): give a --target, not a --class")
        }
        guard let index = categories.firstIndex(of: name) else {
            throw PipelineError.invalidCondition(reason: "\(source) knows the classes \(categories.joined(separator: ", ")); there is no class '\(name)'")
        }
        return try LogProbabilityGuidance(
            property: NoiseAwareLatentProperty(network: network, parameters: parameters, readout: .logProbability(class: index)),
            weight: weight, maximumRMS: maximumRMS)
    }
}

extension TrainedModel {
    /// The posterior means μ of `clouds` under this latent point model's encoder (each centred
    /// first, as training centres them): `[clouds, Z]`, in batches of `batchSize`.
    public func latentMeans(of clouds: [PointCloud], batchSize: Int = 64) throws -> [Float] {
        guard let latent = model as? LatentPointModel else {
            throw PipelineError.invalidModel(path: source, reason: "shape latents come from a latent point model; this is \(card.architecture.rawValue)")
        }
        var result: [Float] = []
        result.reserveCapacity(clouds.count * latent.latentWidth)
        for start in stride(from: 0, to: clouds.count, by: batchSize) {
            let batch = clouds[start ..< min(start + batchSize, clouds.count)]
            result += latent.encode(batch.flatMap(\.flatPositions), layout: GraphLayout(nodeCounts: batch.map(\.count)), parameters: parameters)
        }
        return result
    }
}
