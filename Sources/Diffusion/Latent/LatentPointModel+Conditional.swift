extension LatentPointModel: ConditionalDiffusionModel {
    /// One shape per entry of `nodeCounts` (its point count), shape g's latent drawn by the
    /// conditional prior under row g of `conditions` (`[shapes, C]`; a zero row is ∅, an
    /// unconditional draw), with classifier-free guidance w = `guidance` on batches holding a
    /// condition; then decoded by the (unconditional) decoder. Batches of at most `batchSize`
    /// shapes, each with its own seed drawn here, `threads` at a time, so the shapes do not
    /// depend on the thread count. The early stop of `conditionalTraining` is not used.
    public func sample<G: RandomNumberGenerator>(
        nodeCounts: [Int], conditions: [Float], guidance: Double, batchSize: Int, parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        let width = conditionWidth
        guard width > 0 else {
            throw DiffusionError.invalidConfiguration("this shape model's prior is unconditional; it cannot sample under a condition")
        }
        guard conditions.count == nodeCounts.count * width else {
            throw DiffusionError.invalidConfiguration("\(conditions.count) condition values for \(nodeCounts.count) shapes × \(width)")
        }
        guard guidance.isFinite, guidance >= 0 else {
            throw DiffusionError.invalidConfiguration("the guidance scale w must be finite and ≥ 0, got \(guidance)")
        }
        return try sample(pointCounts: nodeCounts, conditions: conditions, guidance: guidance, batchSize: batchSize,
                          parameters: parameters, sampling: sampling, using: &generator, progress: progress)
    }

    /// Shapes of `pointCounts`' largest count of points, shape g under row g of `conditions`
    /// (`[shapes, C]`, empty when C = 0), `batchSize` at a time on the replicas.
    func sample<G: RandomNumberGenerator>(
        pointCounts: [Int], conditions: [Float], guidance: Double, batchSize: Int, parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        precondition(batchSize >= 1, "batch size \(batchSize)")
        let pointSampler = try sampling.makeSampler(process: pointProcess)
        let latentSampler = try sampling.latentChain.makeSampler(process: latentProcess)
        let count = pointCounts.count, width = conditionWidth, pointCount = pointCounts.max() ?? 0
        let sizes = stride(from: 0, to: count, by: batchSize).map { min(batchSize, count - $0) }
        let starts = sizes.indices.map { $0 * batchSize }
        let seeds = sizes.map { _ in generator.next() }
        var results: [SampleResult] = []
        for round in stride(from: 0, to: sizes.count, by: threads) {
            let batches = round ..< min(round + threads, sizes.count)
            let rows = width == 0 ? [] : batches.map { k in Array(conditions[(starts[k] * width) ..< ((starts[k] + sizes[k]) * width)]) }
            results += try sample(batchSizes: Array(sizes[batches]), seeds: Array(seeds[batches]), pointCount: pointCount,
                                  parameters: parameters, latentSampler: latentSampler, pointSampler: pointSampler,
                                  conditions: rows, guidance: guidance)
            progress(sizes[batches].reduce(0, +))
        }
        return results
    }
}
