import Diffusion
import Foundation

/// Which reverse process draws samples.
public enum SamplerKind: String, Codable, Sendable, CaseIterable {
    /// EDM's ancestral sampler over all T steps.
    case ancestral
    /// DDIM, deterministic, over `--steps` strided steps.
    case ddim
}

/// A checkpoint opened for sampling: its model card, the network, the
/// diffusion process and the weights to sample with (the EMA when present).
public struct TrainedModel {
    public let path: String
    public let card: ModelCard
    /// The EGNN of an EGNN model.
    public let denoiser: EGNN
    /// The whole model of a latent-points model (nil for an EGNN).
    public let latentModel: LatentPointModel?
    /// The process of the generated graphs (a latent-points model's point process).
    public let process: DiffusionProcess
    public let parameters: [Float]
    /// Optimiser steps the weights were trained for.
    public let trainedSteps: Int
    public let checkpoint: Checkpoint

    public init(path: String, threads: Int, useEMA: Bool = true) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidModel(path: path, reason: "no such file")
        }
        checkpoint = try Checkpoint(contentsOf: URL(fileURLWithPath: path))
        card = try ModelCard(checkpoint: checkpoint, path: path)
        denoiser = card.makeDenoiser(threads: threads)
        latentModel = try card.makeLatentModel(threads: threads)
        process = try latentModel?.pointProcess ?? card.makeProcess()
        parameters = useEMA ? (checkpoint.state.ema?.weights ?? checkpoint.state.parameters) : checkpoint.state.parameters
        trainedSteps = checkpoint.state.step
        self.path = path
        guard parameters.count == parameterCount else {
            throw PipelineError.invalidModel(path: path, reason: "\(parameters.count) weights for a model of \(parameterCount)")
        }
    }

    /// Length of the model's parameter vector.
    public var parameterCount: Int { latentModel?.parameterCount ?? denoiser.parameterCount }

    /// Draws `count` graphs in batches of at most `batchSize` with the reverse
    /// process `sampling` (for a latent-points model, on the latents and then on
    /// the points), node counts from the training histogram; `progress` is
    /// told each batch's size. Its corrector moves go to the chain of the
    /// generated graphs (a latent-points model's points, not its latents).
    ///
    /// A latent-points model draws its latents with `latentSteps` steps of the
    /// same kind (default: all T; the prior is a small network on one vector per
    /// shape, so its full chain costs little next to the points').
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, sampling: SamplingSettings, latentSteps: Int? = nil, condition: [Float] = [],
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) throws -> [SampleResult] {
        let sampler = try sampling.makeSampler(process: process)
        if let latentModel {
            precondition(condition.isEmpty, "latent-points models are unconditional")
            // Batches with seeds drawn here, run `threads` at a time (one round per progress report).
            let sizes = stride(from: 0, to: count, by: batchSize).map { min(batchSize, count - $0) }
            let seeds = sizes.map { _ in generator.next() }
            let latentChain = SamplingSettings(kind: sampling.kind,
                                               steps: latentSteps ?? (sampling.kind == .ddim ? sampling.steps : nil))
            let latentSampler = try latentChain.makeSampler(process: latentModel.latentProcess)
            var results: [SampleResult] = []
            for round in stride(from: 0, to: sizes.count, by: latentModel.threads) {
                let batches = round ..< min(round + latentModel.threads, sizes.count)
                results += latentModel.sample(batchSizes: Array(sizes[batches]), seeds: Array(seeds[batches]),
                                              pointCount: card.nodeCounts.counts.last ?? 0, parameters: parameters,
                                              latentSampler: latentSampler, pointSampler: sampler)
                progress(sizes[batches].reduce(0, +))
            }
            return results
        }
        var results: [SampleResult] = []
        var done = 0
        while done < count {
            let n = min(batchSize, count - done)
            let nodeCounts = card.nodeCounts.sample(n, using: &generator)
            let batchCondition = condition.isEmpty ? [] : Array(repeating: condition, count: n).flatMap { $0 }
            results.append(sampler.generate(denoiser: denoiser, parameters: parameters, nodeCounts: nodeCounts,
                                            condition: batchCondition, using: &generator))
            done += n
            progress(n)
        }
        return results
    }

    /// Auto-encodes shapes of a latent-points model (Luo & Hu §5.2): each cloud
    /// of `data` at `indices` to its posterior mean μ, then decoded to as many
    /// points with the reverse process `sampling`. Measures the decoder apart from the prior.
    public func reconstruct<G: RandomNumberGenerator>(
        _ data: ShapeGraphSource, indices: [Int], batchSize: Int, sampling: SamplingSettings,
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) throws -> [SampleResult] {
        guard let latentModel else {
            throw PipelineError.invalidModel(path: path, reason: "reconstruction needs a latent-points model; this is an EGNN")
        }
        let sampler = try sampling.makeSampler(process: process)
        var results: [SampleResult] = []
        for start in stride(from: 0, to: indices.count, by: batchSize) {
            let batch = try data.batch(at: Array(indices[start ..< min(start + batchSize, indices.count)]))
            let latents = latentModel.encode(batch.positions, layout: batch.layout, parameters: parameters)
            results.append(latentModel.decode(latents, pointCount: data.pointCount, parameters: parameters,
                                              pointSampler: sampler, using: &generator))
            progress(batch.layout.graphCount)
        }
        return results
    }
}
