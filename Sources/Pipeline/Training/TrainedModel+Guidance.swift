import Diffusion
import Foundation

extension TrainedModel {
    /// Draws `count` graphs in batches of at most `batchSize` by RGDM's reward-guided chain
    /// (`RewardGuidedSampling`: K proposals at each of the last levels, one kept by the pay-off
    /// weights of `score`), node counts from the training histogram. Needs a model whose
    /// network denoises whole graphs (EDM's EGNN).
    public func sampleGuided<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, guidance: RewardGuidedSampling, score: RewardGuidedSampling.Score,
        using generator: inout G, progress: (Int) -> Void = { _ in }
    ) throws -> [SampleResult] {
        guard let model = model as? EGNNModel else {
            throw PipelineError.invalidModel(path: source, reason: "reward-guided sampling needs an EGNN model; this is \(card.architecture.rawValue)")
        }
        var results: [SampleResult] = []
        var done = 0
        while done < count {
            let n = min(batchSize, count - done)
            let nodeCounts = card.nodeCounts.sample(n, using: &generator)
            results.append(try guidance.generate(model: model, parameters: parameters, nodeCounts: nodeCounts,
                                                 score: score, using: &generator))
            done += n
            progress(n)
        }
        return results
    }
}
