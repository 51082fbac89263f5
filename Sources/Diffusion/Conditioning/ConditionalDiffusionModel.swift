/// A diffusion model that learns ε_θ(z_t, t, c) with a per-graph condition c and samples
/// with one: reward-directed conditional diffusion (Yuan et al. 2023) and EDM's
/// conditional generation. `GraphDiffusionModel` (EDM's EGNN) is the one conformer.
public protocol ConditionalDiffusionModel: DiffusionModel {
    /// Condition dropout and the early stop t0 of the training objective.
    var conditionalTraining: ConditionalTraining { get set }

    /// Draws one graph per entry of `nodeCounts`, graph g under the condition row g of
    /// `conditions` (`[graphs, conditionWidth]`; a zero row is ∅, an unconditional draw),
    /// in batches of at most `batchSize`, by the reverse process `sampling`. With
    /// `guidance` w > 0, classifier-free guidance (`ClassifierFreeGuidance`) on batches
    /// holding a non-null condition. `progress` is told each finished batch's size.
    func sample<G: RandomNumberGenerator>(
        nodeCounts: [Int], conditions: [Float], guidance: Double, batchSize: Int, parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void) throws -> [SampleResult]
}

extension GraphDiffusionModel: ConditionalDiffusionModel {
    public func sample<G: RandomNumberGenerator>(
        nodeCounts: [Int], conditions: [Float], guidance: Double, batchSize: Int, parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        try sample(nodeCounts: nodeCounts, conditions: conditions, guidance: guidance, steering: nil, batchSize: batchSize,
                   parameters: parameters, sampling: sampling, using: &generator, progress: progress)
    }

    /// As `sample(nodeCounts:conditions:guidance:batchSize:parameters:sampling:using:progress:)`,
    /// with `steering` adding its term to ε̂ at every step, told each graph's condition row (for
    /// example `PropertyGuidance` toward the value each graph is conditioned on); nil: none.
    public func sample<G: RandomNumberGenerator>(
        nodeCounts: [Int], conditions: [Float], guidance: Double, steering: (any SamplingGuidance)?, batchSize: Int,
        parameters: [Float], sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        precondition(batchSize >= 1, "batch size \(batchSize)")
        let width = network.conditionWidth
        guard width > 0 else {
            throw DiffusionError.invalidConfiguration("this model is unconditional; it cannot sample under a condition")
        }
        guard conditions.count == nodeCounts.count * width else {
            throw DiffusionError.invalidConfiguration(
                "\(conditions.count) condition values for \(nodeCounts.count) graphs × \(width)")
        }
        guard !sampling.hasLatentChain else {
            throw DiffusionError.invalidConfiguration("a latent chain applies to latent-points models; this model has no latents")
        }
        let sampler = try sampling.makeSampler(process: process)
        let guided = guidance > 0 ? try ClassifierFreeGuidance(base: network, scale: guidance) : nil
        var results: [SampleResult] = []
        for start in stride(from: 0, to: nodeCounts.count, by: batchSize) {
            let end = min(start + batchSize, nodeCounts.count)
            let counts = Array(nodeCounts[start ..< end]), rows = Array(conditions[(start * width) ..< (end * width)])
            if let guided, rows.contains(where: { $0 != 0 }) {
                results.append(try sampler.generate(denoiser: guided, parameters: parameters, nodeCounts: counts,
                                                    condition: rows, guidance: steering, using: &generator))
            } else {
                results.append(try sampler.generate(denoiser: network, parameters: parameters, nodeCounts: counts,
                                                    condition: rows, guidance: steering, using: &generator))
            }
            progress(end - start)
        }
        return results
    }
}
