import Diffusion
import Foundation
import PointCloud

/// The shape side of a latent point model's fine-tuning: the pools are shape latents drawn from
/// the prior (`LatentPriorModel`), decoded by the frozen decoder into clouds, scored as clouds by
/// the run's `RewardScorer<PointCloud>`, and trained on as latents. It keeps the best shapes seen
/// (with their latents) and summarises each round: reward statistics, and for a class reward the
/// share of the pool its classifier assigns to the class.
final class ShapeRewardSession: FineTuneSession {
    /// One of the best shapes seen, as the run keeps it across a resume.
    struct Candidate: Codable, Sendable {
        var reward: Double
        var round: Int
        /// z: `[Z]`.
        var latent: [Float]
        /// The decoded cloud: `[points, 3]`.
        var positions: [Float]
    }

    struct Saved: Codable, Sendable {
        var ledger: RewardLedger
        var best: [Candidate]
        var rounds: [[String: Double]]
        /// Every reward scored, for the best tenth of the budget.
        var seen: [Double]
        /// Pools decoded so far: the decoding generator's position.
        var decodedPools: Int
    }

    let prior: LatentPriorModel
    /// The decoder's weights (the base model's; frozen).
    let parameters: [Float]
    let pointCount: Int
    let decodeBatch: Int
    let sampling: SamplingSettings
    let seed: UInt64
    var scorer: RewardScorer<PointCloud>
    /// The classifier and class index of a class reward, for the class share.
    let classifier: (model: ShapeModel, index: Int)?
    let keepBest: Int
    private(set) var best: [Candidate] = []
    private(set) var rounds: [[String: Double]] = []
    private(set) var seen: [Double] = []
    private(set) var decodedPools = 0
    private(set) var lastRewards: [Double] = []
    /// The budget a round's summary reports as `reward_evaluations` (nil: this session's own
    /// count): an evaluation session reports the training session's, its own pools being free.
    var budget: (() -> Int)?
    /// The clouds of the last pool scored, in drawing order.
    private(set) var lastClouds: [PointCloud] = []
    private var lastLatents: [[Float]] = []

    init(prior: LatentPriorModel, parameters: [Float], pointCount: Int, decodeBatch: Int, sampling: SamplingSettings,
         seed: UInt64, scorer: RewardScorer<PointCloud>, keepBest: Int = 32) {
        self.prior = prior
        self.parameters = parameters
        self.pointCount = pointCount
        self.decodeBatch = decodeBatch
        self.sampling = sampling
        self.seed = seed
        self.scorer = scorer
        self.keepBest = keepBest
        classifier = (scorer.reward as? ClassifierReward).map { ($0.model, $0.index) }
    }

    var saved: Saved { Saved(ledger: scorer.ledger, best: best, rounds: rounds, seen: seen, decodedPools: decodedPools) }

    func restore(_ saved: Saved) throws {
        try scorer.restore(saved.ledger)
        best = saved.best
        rounds = saved.rounds
        seen = saved.seen
        decodedPools = saved.decodedPools
    }

    /// The clouds of a pool of latents: each pool decoded with its own seed (the run's seed and
    /// the pool's number), so a resumed run decodes as an uninterrupted one.
    func decode(_ latents: [SampleResult]) throws -> [PointCloud] {
        decodedPools += 1
        var generator = Xoshiro256StarStar(seed: seed ^ (UInt64(decodedPools) &* 0xD1B5_4A32_D192_ED03))
        let results = try prior.decode(latents, pointCount: pointCount, batchSize: decodeBatch, parameters: parameters,
                                       sampling: sampling, using: &generator)
        return ShapeCodec().clouds(from: results)
    }

    /// Decodes and scores a pool of latents; the batch is the latents whose clouds got a reward.
    func scoreSamples(_ results: [SampleResult]) throws -> SampleLevelRGDM.Scored {
        let clouds = try decode(results)
        let scored = scorer.score(clouds)
        let z = prior.featureWidth
        let latents = results.flatMap { result in (0 ..< result.layout.graphCount).map { Array(result.features[($0 * z) ..< (($0 + 1) * z)]) } }
        lastRewards = scored.rewards
        lastClouds = clouds
        lastLatents = latents
        let kept = scored.outcomes.indices.filter { !scored.outcomes[$0].isFailure }
        guard !kept.isEmpty else {
            throw PipelineError.invalidReward(specification: scorer.reward.name,
                                              reason: "no shape of a pool of \(clouds.count) could be scored (\(scorer.ledger.failureSummary))")
        }
        let batch = GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: 1, count: kept.count)),
                               positions: [Float](repeating: 0, count: 3 * kept.count), features: kept.flatMap { latents[$0] })
        return SampleLevelRGDM.Scored(rewards: scored.rewards, kept: kept, batch: batch)
    }

    /// Rewards of latents given as one-node graphs (the denoised estimates of step-level draws),
    /// decoded into clouds as a pool is (a failure at the reward's floor).
    func scoreGraphs(_ latents: SampleResult) throws -> [Double] {
        scorer.score(try decode([latents])).rewards
    }

    /// The last scored pool's summary (its clouds: `lastClouds`): reward mean, top tenth and
    /// maximum, the class share of a class reward, the distance to the base model and the
    /// budget spent; records the round and its best shapes.
    @discardableResult
    func finishRound(_ index: Int, samples: [SampleResult], rewards: [Double], distance: Double,
                     timing: [String: Double] = [:]) -> [String: Double] {
        precondition(rewards.count == lastClouds.count, "\(rewards.count) rewards for the \(lastClouds.count) clouds last scored")
        let sorted = rewards.sorted(by: >)
        let top = sorted.prefix(max(1, sorted.count / 10))
        seen += rewards
        var summary: [String: Double] = [
            "round": Double(index), "samples": Double(rewards.count),
            "reward_mean": rewards.reduce(0, +) / Double(max(rewards.count, 1)),
            "reward_top10_mean": top.reduce(0, +) / Double(top.count),
            "reward_max": sorted.first ?? .nan,
            "distance_to_base": distance,
            "reward_evaluations": Double(budget?() ?? scorer.ledger.evaluations),
        ]
        // What the budget has found: the best tenth of the evaluations spent.
        let found = seen.sorted(by: >).prefix((seen.count + 9) / 10)
        if !found.isEmpty { summary["found_top10_mean"] = found.reduce(0, +) / Double(found.count) }
        if let share = classShare(lastClouds) { summary["class_share"] = share }
        summary.merge(timing) { own, _ in own }
        summary = summary.filter { $0.value.isFinite }
        rounds.append(summary)
        for (k, cloud) in lastClouds.enumerated() {
            best.append(Candidate(reward: rewards[k], round: index, latent: lastLatents[k], positions: cloud.flatPositions))
        }
        best = Array(best.sorted { $0.reward > $1.reward }.prefix(keepBest))
        return summary
    }

    /// The share of `clouds` the class reward's classifier assigns to its class (nil for other rewards).
    func classShare(_ clouds: [PointCloud]) -> Double? {
        guard let classifier, !clouds.isEmpty,
              let rows = try? classifier.model.logProbabilities(clouds.map { $0.firstNonFiniteIndex == nil ? $0 : PointCloud(positions: [.zero]) })
        else { return nil }
        let hits = rows.filter { row in row.indices.max { row[$0] < row[$1] } == classifier.index }.count
        return Double(hits) / Double(clouds.count)
    }

    /// The best shapes as clouds, best first.
    var bestClouds: [PointCloud] { best.map { PointCloud(flatPositions: $0.positions) } }
}
