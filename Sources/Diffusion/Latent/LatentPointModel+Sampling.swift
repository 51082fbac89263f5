extension LatentPointModel: AutoEncodingModel {
    /// New shapes in batches of at most `batchSize`, each batch with its own seed drawn
    /// here and run `threads` at a time (`sample(batchSizes:seeds:…)`), so the shapes do
    /// not depend on the thread count: latents from the prior by `sampling.latentChain`
    /// (a conditional prior's under `condition` for every shape), then `nodeCounts`' largest
    /// count of points per shape by `sampling` on the decoder.
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, nodeCounts: NodeCountDistribution, condition: [Float], parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        precondition(count >= 0 && batchSize >= 1, "count \(count), batch size \(batchSize)")
        try checkCondition(condition)
        return try sample(pointCounts: [Int](repeating: nodeCounts.counts.last ?? 0, count: count),
                          conditions: Array([[Float]](repeating: condition, count: count).joined()), guidance: 0,
                          batchSize: batchSize, parameters: parameters, sampling: sampling, using: &generator,
                          progress: progress)
    }

    /// The latent chain's calls of the prior plus the point chain's of the decoder.
    public func networkCalls(sampling: SamplingSettings) throws -> Int {
        try sampling.makeSampler(process: pointProcess).timesteps.count
            + sampling.latentChain.makeSampler(process: latentProcess).timesteps.count
    }

    public func reconstructionCalls(sampling: SamplingSettings) throws -> Int {
        try sampling.makeSampler(process: pointProcess).timesteps.count
    }

    /// Luo & Hu §5.2: each cloud of `batch` to its posterior mean μ, decoded to as
    /// many points by `sampling` on the decoder.
    public func reconstruct<G: RandomNumberGenerator>(
        _ batch: GraphBatch, parameters: [Float], sampling: SamplingSettings, using generator: inout G
    ) throws -> SampleResult {
        try validate(batch)
        guard let pointCount = batch.layout.nodeCounts.first,
              batch.layout.nodeCounts.allSatisfy({ $0 == pointCount }) else {
            throw DiffusionError.invalidBatch("reconstruction needs clouds of one size: \(batch.layout.nodeCounts)")
        }
        let latents = encode(batch.positions, layout: batch.layout, parameters: parameters)
        return decode(latents, pointCount: pointCount, parameters: parameters,
                      pointSampler: try sampling.makeSampler(process: pointProcess), using: &generator)
    }

    /// New shapes: latents from the prior (`latentSampler`, built on
    /// `latentProcess`), then `pointCount` points per shape from the decoder
    /// (`pointSampler`, on `pointProcess`). Returns clouds `[count · pointCount, 3]`.
    /// A conditional prior draws shape g under row g of `condition` (`[count, C]`), through
    /// `guided` (this model's prior under classifier-free guidance) when given.
    public func sample<G: RandomNumberGenerator>(
        count: Int, pointCount: Int, parameters: [Float], latentSampler: any Sampler, pointSampler: any Sampler,
        condition: [Float] = [], guided: ClassifierFreeGuidance<PointwiseDenoiser>? = nil, using generator: inout G
    ) -> SampleResult {
        precondition(parameters.count == parameterCount, "parameters \(parameters.count), model \(parameterCount)")
        precondition(condition.count == count * conditionWidth, "condition: \(condition.count) values for \(count) shapes")
        let counts = [Int](repeating: 1, count: count), priorParameters = Array(parameters[priorRange])
        let latents = if let guided {
            latentSampler.generate(denoiser: guided, parameters: priorParameters, nodeCounts: counts, condition: condition,
                                   using: &generator)
        } else {
            latentSampler.generate(denoiser: prior, parameters: priorParameters, nodeCounts: counts, condition: condition,
                                   using: &generator)
        }
        return decode(latents.features, pointCount: pointCount, parameters: parameters, pointSampler: pointSampler,
                      using: &generator)
    }

    /// Several independent batches of new shapes at once, batch k drawn with its own
    /// generator `Xoshiro256StarStar(seed: seeds[k])` on one of `threads` workers: the
    /// result does not depend on the thread count. Returns one result per batch.
    /// A conditional prior's batch k draws under `conditions[k]` (`[batchSizes[k], C]`; empty
    /// for an unconditional model), by classifier-free guidance when `guidance` w > 0.
    public func sample(batchSizes: [Int], seeds: [UInt64], pointCount: Int, parameters: [Float],
                       latentSampler: any Sampler, pointSampler: any Sampler, conditions: [[Float]] = [],
                       guidance: Double = 0) throws -> [SampleResult] {
        precondition(batchSizes.count == seeds.count, "\(batchSizes.count) batches, \(seeds.count) seeds")
        precondition(conditions.isEmpty || conditions.count == batchSizes.count, "\(conditions.count) condition batches")
        // Guidance is checked once here; each batch then wraps its worker's own replica of the
        // prior (a denoiser keeps scratch, which two threads must not share), only where a
        // condition is present.
        let guides = guidance > 0 && !conditions.isEmpty
        if guides { _ = try ClassifierFreeGuidance(base: prior, scale: guidance) }
        let slots = batchSizes.map { _ in SampleSlot() }
        onReplicas(jobs: batchSizes.count) { replica, k in
            var generator = Xoshiro256StarStar(seed: seeds[k])
            let guided = guides && conditions[k].contains(where: { $0 != 0 })
                ? try? ClassifierFreeGuidance(base: replica.prior, scale: guidance) : nil
            slots[k].result = replica.sample(count: batchSizes[k], pointCount: pointCount, parameters: parameters,
                                             latentSampler: latentSampler, pointSampler: pointSampler,
                                             condition: conditions.isEmpty ? [] : conditions[k], guided: guided,
                                             using: &generator)
        }
        return slots.map { $0.result! }
    }

    /// The clouds of several batches of latents (`[shapes, Z]` each) at once, batch k decoded
    /// with its own generator `Xoshiro256StarStar(seed: seeds[k])` on one of `threads` workers,
    /// `pointCount` points per shape by `pointSampler`: the result does not depend on the
    /// thread count. Returns one result per batch.
    public func decode(batches: [[Float]], seeds: [UInt64], pointCount: Int, parameters: [Float],
                       pointSampler: any Sampler) -> [SampleResult] {
        precondition(batches.count == seeds.count, "\(batches.count) batches, \(seeds.count) seeds")
        let slots = batches.map { _ in SampleSlot() }
        onReplicas(jobs: batches.count) { replica, k in
            var generator = Xoshiro256StarStar(seed: seeds[k])
            slots[k].result = replica.decode(batches[k], pointCount: pointCount, parameters: parameters,
                                             pointSampler: pointSampler, using: &generator)
        }
        return slots.map { $0.result! }
    }

    private final class SampleSlot { var result: SampleResult? }

    /// `pointCount` points for each latent of `latents` (`[shapes, Z]`) from the decoder
    /// (`pointSampler`, on `pointProcess`): clouds `[shapes · pointCount, 3]`.
    public func decode<G: RandomNumberGenerator>(
        _ latents: [Float], pointCount: Int, parameters: [Float], pointSampler: any Sampler, using generator: inout G
    ) -> SampleResult {
        precondition(latents.count % latentWidth == 0, "latents: \(latents.count) values are not rows of \(latentWidth)")
        return pointSampler.generate(denoiser: decoder, parameters: Array(parameters[decoderRange]),
                                     nodeCounts: [Int](repeating: pointCount, count: latents.count / latentWidth),
                                     condition: latents, using: &generator)
    }
}
