import Diffusion
import Foundation
import PointCloud

extension SampleCommand {
    /// Reward-guided sampling of a latent point model (`--reward` with a shape reward): RGDM's
    /// sampler on the prior's full ancestral chain, the last --guided-levels steps guided; each
    /// step's K candidate latents are decoded by `settings`' point chain into clouds for the
    /// reward (K decodings per shape and guided step: keep --guided-levels small). The kept
    /// latents are decoded once more into the samples. Prints the samples' mean reward.
    func sampleShapesGuided(_ model: TrainedModel, settings: SamplingSettings, using generator: inout Xoshiro256StarStar,
                            progress: (Int) -> Void) throws -> [SampleResult] {
        guard let latent = model.model as? LatentPointModel, let spec = reward.reward else {
            throw PipelineError.invalidModel(path: self.model, reason: "reward-guided sampling of shapes steers latent point models; this is \(model.card.architecture.rawValue)")
        }
        let prior = LatentPriorModel(latent)
        let pointCount = model.card.nodeCounts.counts.last ?? 0
        var scorer = RewardScorer(reward: try spec.makeShapeReward(reward.settings(workers: global.workerCount)),
                                  floor: reward.rewardFloor, caching: false) { _ in nil }
        var decoding = Xoshiro256StarStar(seed: global.seed ^ 0x5DEE_CE66_D1CE_4E5B)
        func clouds(_ latents: [SampleResult]) throws -> [SampleResult] {
            try prior.decode(latents, pointCount: pointCount, batchSize: batch, parameters: model.parameters, sampling: settings,
                             using: &decoding)
        }
        let guidance = try RewardGuidedSampling(explorations: explore, temperature: guidanceTemperature, levels: guidedLevels)
        let latents = try prior.sampleGuided(count: count, batchSize: batch, guidance: guidance, parameters: model.parameters,
                                             score: { scorer.score(ShapeCodec().clouds(from: try clouds([$0]))).rewards },
                                             using: &generator, progress: progress)
        let results = try clouds(latents)
        let final = scorer.score(ShapeCodec().clouds(from: results)).rewards
        FileHandle.standardError.write(Data(String(
            format: "reward-guided: %@, mean reward of the samples %.4f, %d reward evaluations\n",
            scorer.reward.name, final.reduce(0, +) / Double(max(final.count, 1)), scorer.ledger.evaluations).utf8))
        return results
    }
}
