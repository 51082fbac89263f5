import Foundation

/// RGDM over whole samples: reward-weighted maximum likelihood (RAML, Norouzi
/// et al. 2016) on the model's own samples, in rounds. Each round draws a pool
/// of N graphs from the model, scores them, and weights each by the pay-off
/// distribution q ∝ exp(r / (Rτ)) over the pool (self-normalised:
/// `RewardWeighting`); steps then fit the model to the weighted pool with the
/// ordinary ε-loss, plus λ times the ε-loss on data graphs, which keeps samples
/// valid and diverse.
///
/// Fitting p_θ to p_old(x)·exp(r/(Rτ)) each round, R rounds compose the pay-off
/// distribution's target p_base(x)·exp(r(x)/τ), the optimum of
/// E_p[r] − τ·KL(p ‖ p_base): tilting in R steps rather than one keeps each
/// round's importance weights spread over its pool (one tilt of exp(r/τ) from
/// the base model's samples leaves few samples with weight when τ is small).
/// A replay buffer keeps the best samples seen and adds them to every pool.
/// The node count is part of a sample: with `nodeCountPseudocount` set, each round also
/// refits the node-count distribution to the weighted pool (`NodeCountDistribution.tilted`),
/// so sizes the reward favours are drawn more often; the checkpoint's card takes it.
/// With `Selection.top` the same rounds are RAFT (Dong et al. 2023): the best
/// fraction of each pool, equally weighted, the baseline RGDM is compared with.
public struct SampleLevelRGDM: TrainingSteps {
    /// How a round's pool is weighted.
    public enum Selection: Codable, Sendable, Equatable {
        /// RGDM: every graph, weighted N·softmax(r/(Rτ)).
        case payoff
        /// RAFT (Dong et al. 2023), the baseline: the best `fraction` of the pool, equally weighted.
        case top(fraction: Double)
    }

    public struct Settings: Codable, Sendable, Equatable {
        public var selection: Selection
        /// τ > 0: the pay-off temperature of the whole run.
        public var temperature: Double
        /// R ≥ 1: rounds over which the tilt exp(r/τ) is reached.
        public var rounds: Int
        /// N: graphs drawn from the model each round.
        public var poolSize: Int
        /// Optimiser steps on each round's pool.
        public var stepsPerRound: Int
        /// Pool graphs in each step's batch, drawn at random from the pool.
        public var batchSize: Int
        /// λ ≥ 0: the weight of each data graph's ε-loss beside the pool's.
        public var dataWeight: Double
        /// Data graphs in each step's batch (0: no data term).
        public var dataBatchSize: Int
        /// Best samples kept across rounds and added to each pool (0: none).
        public var replaySize: Int
        /// c ≥ 0: the pseudo-count of each round's node-count tilt; nil keeps the base model's
        /// node counts.
        public var nodeCountPseudocount: Double?

        public init(selection: Selection = .payoff, temperature: Double, rounds: Int, poolSize: Int, stepsPerRound: Int,
                    batchSize: Int, dataWeight: Double = 0, dataBatchSize: Int = 0, replaySize: Int = 0,
                    nodeCountPseudocount: Double? = nil) {
            self.selection = selection
            self.temperature = temperature
            self.rounds = rounds
            self.poolSize = poolSize
            self.stepsPerRound = stepsPerRound
            self.batchSize = batchSize
            self.dataWeight = dataWeight
            self.dataBatchSize = dataBatchSize
            self.replaySize = replaySize
            self.nodeCountPseudocount = nodeCountPseudocount
        }

        /// Throws `DiffusionError.invalidConfiguration` naming the first setting out of range.
        public func validate() throws {
            func check(_ ok: Bool, _ reason: String) throws { if !ok { throw DiffusionError.invalidConfiguration(reason) } }
            try check(temperature.isFinite && temperature > 0, "the pay-off temperature τ must be > 0, got \(temperature)")
            try check(rounds >= 1, "rounds must be at least 1, got \(rounds)")
            try check(poolSize >= 1 && stepsPerRound >= 1 && batchSize >= 1,
                      "pool size, steps per round and batch size must be at least 1 (\(poolSize), \(stepsPerRound), \(batchSize))")
            try check(dataWeight.isFinite && dataWeight >= 0, "the data weight λ must be finite and ≥ 0, got \(dataWeight)")
            try check(dataBatchSize >= 0 && replaySize >= 0, "data batch and replay sizes must be ≥ 0")
            if let c = nodeCountPseudocount {
                try check(c.isFinite && c >= 0, "the node-count pseudo-count must be finite and ≥ 0, got \(c)")
            }
            if case let .top(fraction) = selection {
                try check(fraction > 0 && fraction <= 1, "the kept fraction must lie in (0, 1], got \(fraction)")
            }
        }

        /// The temperature of one round's weights: Rτ.
        public var roundTemperature: Double { temperature * Double(rounds) }
        /// Optimiser steps of the whole run.
        public var totalSteps: Int { rounds * stepsPerRound }
    }

    /// What the model is asked for: `count` graphs with `parameters` and node counts from
    /// `nodeCounts`, drawn with `generator`.
    public typealias Draw = (_ parameters: [Float], _ nodeCounts: NodeCountDistribution, _ count: Int,
                             _ generator: inout Xoshiro256StarStar) throws -> [SampleResult]
    /// The drawn graphs' rewards, and the ones the pool trains on as a batch.
    public typealias Score = (_ samples: [SampleResult]) throws -> Scored

    /// A drawn pool, scored.
    public struct Scored {
        /// Per drawn graph, in drawing order (a graph the reward failed on at its floor): `[drawn]`.
        public var rewards: [Double]
        /// The drawn graphs the pool trains on, ascending: `[kept]`.
        public var kept: [Int]
        /// Those graphs as a training batch, in `kept`'s order.
        public var batch: GraphBatch

        /// `kept` nil: every drawn graph.
        public init(rewards: [Double], kept: [Int]? = nil, batch: GraphBatch) {
            self.rewards = rewards
            self.kept = kept ?? Array(rewards.indices)
            self.batch = batch
        }
    }

    /// One finished round's pool, for logs and reports.
    public struct Round {
        public var index: Int
        public var samples: [SampleResult]
        public var rewards: [Double]
        public var weights: [Float]
    }

    public let settings: Settings
    public private(set) var state: State
    /// The base model's node counts, drawn from until a round tilts them.
    private let baseNodeCounts: NodeCountDistribution
    private let draw: Draw
    private let score: Score
    private let data: (any GraphDataSource)?
    private let onRound: (Round) -> Void

    /// A run from its first round, or from `runState` (`runState()` of a checkpoint) when resuming.
    public init(settings: Settings, seed: UInt64, nodeCounts: NodeCountDistribution, data: (any GraphDataSource)?,
                runState: String? = nil, draw: @escaping Draw, score: @escaping Score, onRound: @escaping (Round) -> Void = { _ in }) throws {
        try settings.validate()
        if settings.dataBatchSize > 0 && (data?.count ?? 0) == 0 {
            throw DiffusionError.invalidConfiguration("a data term needs a dataset with graphs")
        }
        self.settings = settings
        self.state = try runState.map { try State(json: $0, settings: settings) } ?? State(seed: seed, settings: settings)
        self.baseNodeCounts = nodeCounts
        self.draw = draw
        self.score = score
        self.data = data
        self.onRound = onRound
    }

    public var graphsPerStep: Int { settings.batchSize + settings.dataBatchSize }

    public func runState() throws -> String? { try state.json() }

    /// The node counts pools are drawn from: tilted by the rounds so far when
    /// `nodeCountPseudocount` is set, nil (the base model's) otherwise.
    public var nodeCounts: NodeCountDistribution? {
        settings.nodeCountPseudocount == nil ? nil : state.nodeCounts ?? baseNodeCounts
    }

    public mutating func step(_ trainer: Trainer) throws -> TrainingStepReport {
        if state.pool == nil || state.stepInRound >= settings.stepsPerRound { try startRound(trainer) }
        guard let pool = state.pool else { preconditionFailure("a round always leaves a pool") }
        var generator = try state.generator.restored()
        let picks = (0 ..< settings.batchSize).map { _ in Int(generator.next(upperBound: UInt64(pool.layout.graphCount))) }
        var batch = pool.selecting(graphs: picks)
        if let data, settings.dataBatchSize > 0 {
            let indices = (0 ..< settings.dataBatchSize).map { _ in Int(generator.next(upperBound: UInt64(data.count))) }
            var graphs = try data.batch(at: indices)
            graphs.weights = [Float](repeating: Float(settings.dataWeight), count: indices.count)
            batch = batch.appending(graphs)
        }
        let report = try trainer.step(on: batch)
        state.generator = StoredGenerator(generator)
        state.stepInRound += 1
        return report
    }

    /// Draws and scores a new pool (with the replay buffer's graphs) and weights it.
    private mutating func startRound(_ trainer: Trainer) throws {
        var generator = try state.generator.restored()
        let sizes = state.nodeCounts ?? baseNodeCounts
        let samples = try draw(trainer.samplingParameters, sizes, settings.poolSize, &generator)
        let scored = try score(samples)
        let drawnCount = samples.reduce(0) { $0 + $1.layout.graphCount }
        precondition(scored.rewards.count == drawnCount && scored.kept.count == scored.batch.layout.graphCount,
                     "\(scored.rewards.count) rewards for \(drawnCount) graphs, \(scored.kept.count) kept for a batch of \(scored.batch.layout.graphCount)")
        let rewards = scored.kept.map { scored.rewards[$0] }
        var pool = scored.batch, poolRewards = rewards
        if let replay = state.replay {
            pool = pool.appending(replay.batch)
            poolRewards += replay.rewards
        }
        state.replay = settings.replaySize > 0 ? Replay(best: settings.replaySize, of: pool, rewards: poolRewards) : nil
        let weights: [Float]
        switch settings.selection {
        case .payoff:
            weights = try RewardWeighting.weights(rewards: poolRewards, temperature: settings.roundTemperature)
            pool.weights = weights
        case let .top(fraction):
            let kept = Replay(best: max(1, Int((fraction * Double(poolRewards.count)).rounded())), of: pool, rewards: poolRewards)
            let best = Set(kept.indices)
            weights = poolRewards.indices.map { best.contains($0) ? 1 : 0 }
            pool = kept.batch
        }
        if let c = settings.nodeCountPseudocount {
            state.nodeCounts = try sizes.tilted(nodeCounts: samples.flatMap(\.layout.nodeCounts),
                                                weights: try drawnWeights(scored), pseudocount: c)
        }
        state.pool = pool
        state.stepInRound = 0
        state.round += 1
        state.generator = StoredGenerator(generator)
        onRound(Round(index: state.round, samples: samples, rewards: rewards, weights: Array(weights.prefix(rewards.count))))
    }

    /// The round's weights over every drawn graph (not the replayed ones, which p did not
    /// draw), with mean 1: the pay-off weights, or 1/fraction for RAFT's kept share; a graph
    /// the pool leaves out (the reward failed on it) weighs 0.
    private func drawnWeights(_ scored: Scored) throws -> [Double] {
        var weights = [Double](repeating: 0, count: scored.rewards.count)
        let rewards = scored.kept.map { scored.rewards[$0] }
        let kept: [Double]
        switch settings.selection {
        case .payoff:
            kept = try RewardWeighting.weights(rewards: rewards, temperature: settings.roundTemperature).map(Double.init)
        case let .top(fraction):
            let best = Set(Replay(best: max(1, Int((fraction * Double(rewards.count)).rounded())),
                                  of: scored.batch, rewards: rewards).indices)
            kept = rewards.indices.map { best.contains($0) ? 1 : 0 }
        }
        let scale = Double(weights.count) / max(kept.reduce(0, +), .leastNormalMagnitude)
        for (i, w) in zip(scored.kept, kept) { weights[i] = w * scale }
        return weights
    }
}
