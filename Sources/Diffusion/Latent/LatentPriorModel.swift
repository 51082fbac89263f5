import Foundation

/// The latent prior of a `LatentPointModel` seen as a diffusion model of its own: its graphs
/// are one-node graphs whose features are shape latents z (`[Z]`), its objective the prior's
/// ε-loss L_ε(ψ; z) on them, its samples the prior's latents. Reward fine-tuning of a shape
/// model (sample-level RGDM, RAFT) trains through this view: the pools are the latents the
/// prior generated, the decoder turns them into clouds for the reward (`decode`), and the
/// weighted ε-loss moves ψ alone.
///
/// θ is the whole model's vector ([encoder | decoder | prior]), so checkpoints stay those of
/// the latent point model; the gradient is zero outside the prior's range, so under AdamW
/// without weight decay (and the EMA, which keeps an unmoved weight exactly) the encoder and
/// decoder stay the base model's, bit for bit.
public final class LatentPriorModel: DiffusionModel {
    public let base: LatentPointModel
    private var buffers = GradientStep.Buffers()
    private var partGradient: [Float] = []

    public init(_ base: LatentPointModel) {
        self.base = base
    }

    public var parameterCount: Int { base.parameterCount }
    /// Z: a graph is one latent.
    public var featureWidth: Int { base.latentWidth }
    public var conditionWidth: Int { 0 }
    /// Where the trained part sits in θ.
    public var trainedRange: Range<Int> { base.priorRange }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        base.initialParameters(using: &generator)
    }

    /// Throws `DiffusionError.invalidBatch` unless every graph is one node with Z features.
    public func validate(_ batch: GraphBatch) throws {
        try batch.validate(featureWidth: featureWidth, conditionWidth: 0)
        if let bad = batch.layout.nodeCounts.firstIndex(where: { $0 != 1 }) {
            throw DiffusionError.invalidBatch("graph \(bad) of a latent batch has \(batch.layout.nodeCounts[bad]) nodes; a latent is one node")
        }
    }

    /// The prior's ε-loss on the batch's latents (weighted by `batch.weights`); ∂L/∂θ is added
    /// into the prior's range only.
    public func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, gradient: inout [Float], using generator: inout G
    ) -> Double {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "parameters \(parameters.count), gradient \(gradient.count), model \(parameterCount)")
        let range = trainedRange
        partGradient.resizeKeepingCapacity(to: range.count)
        for k in partGradient.indices { partGradient[k] = 0 }
        let loss = GradientStep.accumulate(denoiser: base.prior, process: base.latentProcess, parameters: Array(parameters[range]),
                                           batch: batch, gradient: &partGradient, buffers: &buffers, using: &generator)
        for k in 0 ..< range.count { gradient[range.lowerBound + k] += partGradient[k] }
        return loss
    }

    /// `count` latents from the prior by `sampling.latentChain`, in batches of at most
    /// `batchSize`: one-node graphs whose features are z (`[count, Z]` over the results).
    /// `nodeCounts` is not used (a latent is one node).
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, nodeCounts: NodeCountDistribution, condition: [Float], parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        precondition(count >= 0 && batchSize >= 1, "count \(count), batch size \(batchSize)")
        precondition(parameters.count == parameterCount, "parameters \(parameters.count), model \(parameterCount)")
        try checkCondition(condition)
        let sampler = try sampling.latentChain.makeSampler(process: base.latentProcess)
        let prior = Array(parameters[trainedRange])
        return stride(from: 0, to: count, by: batchSize).map { start in
            let size = min(batchSize, count - start)
            let result = sampler.generate(denoiser: base.prior, parameters: prior, nodeCounts: [Int](repeating: 1, count: size),
                                          using: &generator)
            progress(size)
            return result
        }
    }

    /// `count` latents by RGDM's sampler on the prior's full ancestral chain (`guidance`), in
    /// batches of at most `batchSize`; `score` gets each guided step's candidates as denoised
    /// latents x̂_0 (one-node graphs) and returns one reward per candidate — decoding them into
    /// clouds is the caller's.
    public func sampleGuided<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, guidance: RewardGuidedSampling, parameters: [Float],
        score: RewardGuidedSampling.Score, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        precondition(count >= 0 && batchSize >= 1, "count \(count), batch size \(batchSize)")
        let prior = Array(parameters[trainedRange])
        return try stride(from: 0, to: count, by: batchSize).map { start in
            let size = min(batchSize, count - start)
            let result = try guidance.generate(network: base.prior, process: base.latentProcess, parameters: prior,
                                               nodeCounts: [Int](repeating: 1, count: size), score: score, using: &generator)
            progress(size)
            return result
        }
    }

    /// The latent chain's calls of the prior.
    public func networkCalls(sampling: SamplingSettings) throws -> Int {
        try sampling.latentChain.makeSampler(process: base.latentProcess).timesteps.count
    }

    /// The clouds of `latents` (one-node graphs of this model, e.g. a pool): `pointCount` points
    /// each by `sampling` on the frozen decoder, `batchSize` shapes at a time, on the base
    /// model's threads (`LatentPointModel.decode(batches:…)`). One result per result of `latents`.
    public func decode<G: RandomNumberGenerator>(
        _ latents: [SampleResult], pointCount: Int, batchSize: Int, parameters: [Float], sampling: SamplingSettings,
        using generator: inout G
    ) throws -> [SampleResult] {
        let sampler = try sampling.makeSampler(process: base.pointProcess)
        let z = featureWidth
        var batches: [[Float]] = []
        var owner: [Int] = []
        for (k, result) in latents.enumerated() {
            for start in stride(from: 0, to: result.layout.graphCount, by: batchSize) {
                let end = min(start + batchSize, result.layout.graphCount)
                batches.append(Array(result.features[(start * z) ..< (end * z)]))
                owner.append(k)
            }
        }
        let seeds = batches.map { _ in generator.next() }
        let clouds = base.decode(batches: batches, seeds: seeds, pointCount: pointCount, parameters: parameters, pointSampler: sampler)
        return latents.indices.map { k in
            let mine = owner.indices.filter { owner[$0] == k }.map { clouds[$0] }
            return SampleResult(layout: GraphLayout(nodeCounts: mine.flatMap(\.layout.nodeCounts)),
                                positions: mine.flatMap(\.positions), features: [])
        }
    }
}
