import Diffusion
import Foundation

/// A model ready to sample: its card, the model it describes and the weights
/// to sample with, opened from a checkpoint (the EMA weights when present) or
/// made in memory from a card and a parameter vector (a fine-tuning loop's
/// current weights).
public struct TrainedModel {
    public let card: ModelCard
    public let model: any DiffusionModel
    public let parameters: [Float]
    /// Optimiser steps the weights were trained for.
    public let trainedSteps: Int
    /// Where the weights came from: the checkpoint's path, or a description of their source.
    public let source: String

    /// The model of `card` with `parameters`.
    public init(card: ModelCard, parameters: [Float], threads: Int, trainedSteps: Int = 0,
                source: String = "weights in memory") throws {
        let model = try card.makeModel(threads: threads)
        guard parameters.count == model.parameterCount else {
            throw PipelineError.invalidModel(path: source, reason: "\(parameters.count) weights for a model of \(model.parameterCount)")
        }
        self.card = card
        self.model = model
        self.parameters = parameters
        self.trainedSteps = trainedSteps
        self.source = source
    }

    /// Opens the checkpoint at `path`: its EMA weights (`useEMA`, when it has them) or θ.
    public init(path: String, threads: Int, useEMA: Bool = true) throws {
        let checkpoint = try Self.checkpoint(at: path)
        let state = checkpoint.state
        try self.init(card: ModelCard(checkpoint: checkpoint, path: path),
                      parameters: useEMA ? (state.ema?.weights ?? state.parameters) : state.parameters,
                      threads: threads, trainedSteps: state.step, source: path)
    }

    /// The checkpoint at `path`, or an error naming it.
    public static func checkpoint(at path: String) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidModel(path: path, reason: "no such file")
        }
        return try Checkpoint(contentsOf: URL(fileURLWithPath: path))
    }

    /// Length of the model's parameter vector.
    public var parameterCount: Int { model.parameterCount }

    /// Draws `count` graphs in batches of at most `batchSize` by the reverse process
    /// `sampling`, node counts from the training histogram, every graph with `condition`
    /// (empty for an unconditional model); `progress` is told each batch's size.
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, sampling: SamplingSettings, condition: [Float] = [],
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) throws -> [SampleResult] {
        do {
            return try model.sample(count: count, batchSize: batchSize, nodeCounts: card.nodeCounts, condition: condition,
                                    parameters: parameters, sampling: sampling, using: &generator, progress: progress)
        } catch let DiffusionError.invalidConfiguration(reason) {
            throw PipelineError.invalidModel(path: source, reason: reason)
        }
    }

    /// Auto-encodes the graphs of `data` at `indices` (a latent model's reconstruction,
    /// Luo & Hu §5.2), `batchSize` at a time: each encoded to its posterior mean and
    /// decoded by `sampling`. Measures the decoder apart from the prior.
    public func reconstruct<G: RandomNumberGenerator>(
        _ data: some GraphDataSource, indices: [Int], batchSize: Int, sampling: SamplingSettings,
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) throws -> [SampleResult] {
        guard let model = model as? any AutoEncodingModel else {
            throw PipelineError.invalidModel(
                path: source, reason: "reconstruction needs a model with latents (latent-points); this is \(card.architecture.rawValue)")
        }
        var results: [SampleResult] = []
        for start in stride(from: 0, to: indices.count, by: batchSize) {
            let batch = try data.batch(at: Array(indices[start ..< min(start + batchSize, indices.count)]))
            results.append(try model.reconstruct(batch, parameters: parameters, sampling: sampling, using: &generator))
            progress(batch.layout.graphCount)
        }
        return results
    }
}
