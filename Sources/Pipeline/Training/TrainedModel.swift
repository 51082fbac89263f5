import Diffusion
import Foundation

/// Which reverse process draws samples.
public enum SamplerKind: String, Codable, Sendable, CaseIterable {
    /// EDM's ancestral sampler over all T steps.
    case ancestral
    /// DDIM, deterministic, over `--steps` strided steps.
    case ddim
}

/// A checkpoint opened for sampling: its model card, the denoiser, the
/// diffusion process and the weights to sample with (the EMA when present).
public struct TrainedModel {
    public let path: String
    public let card: ModelCard
    public let denoiser: EGNN
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
        process = try card.makeProcess()
        parameters = useEMA ? (checkpoint.state.ema?.weights ?? checkpoint.state.parameters) : checkpoint.state.parameters
        trainedSteps = checkpoint.state.step
        self.path = path
        guard parameters.count == denoiser.parameterCount else {
            throw PipelineError.invalidModel(path: path, reason: "\(parameters.count) weights for a model of \(denoiser.parameterCount)")
        }
    }

    public func makeSampler(_ kind: SamplerKind, steps: Int?) throws -> any Sampler {
        switch kind {
        case .ancestral: AncestralSampler(process: process)
        case .ddim: try DDIMSampler(process: process, steps: steps ?? min(100, process.timesteps))
        }
    }

    /// Draws `count` graphs in batches of at most `batchSize`, node counts
    /// from the training histogram; `progress` is told each batch's size.
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, sampler: any Sampler, condition: [Float] = [],
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) -> [SampleResult] {
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
}
