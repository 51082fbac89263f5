import Diffusion
import Foundation

extension TrainedModel {
    /// Draws `count` graphs in batches of at most `batchSize` by the reverse process `sampling`
    /// with `guidance` adding its term to ε̂ at every network call (gradient guidance by a
    /// property model). Node counts: with `sizes`, each from the `reference` molecules labelled
    /// nearest `target` (as conditional sampling at a fixed target draws them); else from the
    /// diffusion model's training histogram. Needs an unconditional EGNN model.
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, sampling: SamplingSettings, guidance: some SamplingGuidance,
        sizes: (reference: ConditionReference, target: Double, normalization: ConditionNormalization)? = nil,
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) throws -> [SampleResult] {
        guard let model = model as? EGNNModel else {
            throw PipelineError.invalidModel(path: source, reason: "gradient guidance needs an EGNN model; this is \(card.architecture.rawValue)")
        }
        guard model.conditionWidth == 0 else {
            throw PipelineError.invalidModel(path: source, reason: "gradient guidance steers an unconditional model; this one takes a condition")
        }
        let sampler: any Sampler
        do {
            guard !sampling.hasLatentChain else {
                throw DiffusionError.invalidConfiguration("a latent chain applies to latent-points models; this model has no latents")
            }
            sampler = try sampling.makeSampler(process: model.process)
        } catch let DiffusionError.invalidConfiguration(reason) {
            throw PipelineError.invalidModel(path: source, reason: reason)
        }
        var results: [SampleResult] = []
        var done = 0
        while done < count {
            let n = min(batchSize, count - done)
            let nodeCounts = sizes.map { $0.reference.drawSizes(n, near: [$0.target], normalization: $0.normalization, using: &generator) }
                ?? card.nodeCounts.sample(n, using: &generator)
            results.append(try sampler.generate(denoiser: model.network, parameters: parameters, nodeCounts: nodeCounts,
                                                guidance: guidance, using: &generator))
            done += n
            progress(n)
        }
        return results
    }
}

extension EGNNPropertyModel {
    /// Throws `PipelineError.invalidModel` naming this file unless it can guide `model`: a
    /// noise-aware model of molecules in the same encoding (vocabulary, atomic-number column,
    /// scaling), trained on the same forward process (schedule, T, precision).
    public func checkGuides(_ model: TrainedModel) throws {
        guard let noise = card.noise else {
            throw PipelineError.invalidModel(
                path: source, reason: "it was trained on clean molecules; guidance needs a noise-aware model (rgdm train-property --noise-aware)")
        }
        let diffusion = model.card
        guard diffusion.domain == .molecules else {
            throw PipelineError.invalidModel(path: model.source, reason: "property guidance steers molecule models")
        }
        guard diffusion.atomicNumbers == card.atomicNumbers, diffusion.includesAtomicNumber == card.includesAtomicNumber,
              diffusion.scaling == (try card.scaling) else {
            throw PipelineError.invalidModel(
                path: source, reason: "it reads molecules over \(card.atomicNumbers); the diffusion model \(model.source) encodes \(diffusion.atomicNumbers)"
                    + (diffusion.includesAtomicNumber == card.includesAtomicNumber ? "" : " (and differs in the atomic-number feature)"))
        }
        guard diffusion.schedule == noise.schedule, diffusion.timesteps == noise.timesteps,
              diffusion.schedulePrecision == noise.precision else {
            throw PipelineError.invalidModel(
                path: source, reason: "it learnt the forward process \(noise.schedule.rawValue), T = \(noise.timesteps), precision \(noise.precision); "
                    + "the diffusion model's is \(diffusion.schedule.rawValue), T = \(diffusion.timesteps), precision \(diffusion.schedulePrecision)")
        }
    }
}
