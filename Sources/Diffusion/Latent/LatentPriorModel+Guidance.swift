extension LatentPriorModel {
    /// `count` latents from the prior by `sampling.latentChain` with `guidance` adding its term
    /// to ε̂ at every call of the prior (gradient guidance by a model of latents, e.g.
    /// `PropertyGuidance` or `LogProbabilityGuidance` of a `NoiseAwareLatentProperty`), in
    /// batches of at most `batchSize`: one-node graphs whose features are z. Guidance acts on the
    /// latent chain only; the caller decodes the latents (`decode`), the decoder unguided. Needs
    /// an unconditional prior.
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, guidance: some SamplingGuidance, parameters: [Float], sampling: SamplingSettings,
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) throws -> [SampleResult] {
        precondition(count >= 0 && batchSize >= 1, "count \(count), batch size \(batchSize)")
        precondition(parameters.count == parameterCount, "parameters \(parameters.count), model \(parameterCount)")
        guard base.conditionWidth == 0 else {
            throw DiffusionError.invalidConfiguration("gradient guidance steers an unconditional prior; this one takes a condition of width \(base.conditionWidth)")
        }
        let sampler = try sampling.latentChain.makeSampler(process: base.latentProcess)
        let prior = Array(parameters[trainedRange])
        var results: [SampleResult] = []
        for start in stride(from: 0, to: count, by: batchSize) {
            let size = min(batchSize, count - start)
            results.append(try sampler.generate(denoiser: base.prior, parameters: prior, nodeCounts: [Int](repeating: 1, count: size),
                                                guidance: guidance, using: &generator))
            progress(size)
        }
        return results
    }
}
