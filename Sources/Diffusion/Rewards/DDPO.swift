import Foundation

/// DDPO (Black et al. 2023), the policy-gradient baseline RGDM is compared with: the reverse
/// chain as a Markov decision process whose actions are the ancestral steps
/// p_θ(z_s | z_t) = N(μ_θ(z_t), q_t² I). Each round draws N chains with the current weights
/// θ_old, keeping every transition (z_t, z_s) and log p_θold(z_s | z_t); the final samples'
/// rewards, normalised over the round (A_i = (r_i − mean)/std), are every transition's
/// advantage. Then `passes` passes of PPO (Schulman et al. 2017) over the round: each step
/// takes a minibatch of chains and accumulates, over all their transitions, the gradient of
///
///     L = −(1/(M·S)) Σ min(ρ A, clip(ρ, 1 − ε, 1 + ε) A),   ρ = p_θ(z_s | z_t) / p_θold(z_s | z_t),
///
/// where ∂ log p / ∂ε̂ = c_t (z_s − μ_θ) / q_t² (μ_θ = z_t/α_{t|s} − c_t ε̂). The chains use a
/// strided ancestral grid; the final decoding step p(x | z_0) is not trained, as it is not one
/// of the Gaussian steps.
public struct DDPO<Network: Denoiser>: TrainingSteps {
    public struct Settings: Codable, Sendable, Equatable {
        /// Chains drawn each round.
        public var chains: Int
        /// Steps of each chain's strided ancestral grid.
        public var steps: Int
        /// Passes of PPO over each round's transitions.
        public var passes: Int
        /// Chains per optimiser step.
        public var minibatch: Int
        /// ε of PPO's clipping (DDPO: 1e-4).
        public var clip: Double
        /// nil (the default): PPO as published. Otherwise a transition whose |log ρ| exceeds this
        /// keeps its clipped term in the loss but gives no gradient: a guard for chains whose states
        /// have blown up (an untrained network's: `rgdm bench finetune` times DDPO on fresh weights),
        /// where the roundoff between a round's batch and a training minibatch alone makes
        /// |log ρ| ≈ 10⁴ at θ = θ_old, so ρ, and the loss, overflow.
        public var logRatioLimit: Double?
        /// Chains drawn together as one batch, each chunk with its own generator (nil: all in one):
        /// the unit a round's drawing is split into over the ranks of a job.
        public var chunk: Int?

        public init(chains: Int, steps: Int, passes: Int = 1, minibatch: Int, clip: Double = 1e-4, logRatioLimit: Double? = nil,
                    chunk: Int? = nil) {
            self.chains = chains
            self.steps = steps
            self.passes = passes
            self.minibatch = minibatch
            self.clip = clip
            self.logRatioLimit = logRatioLimit
            self.chunk = chunk
        }

        /// Optimiser steps each round.
        public var stepsPerRound: Int { passes * ((chains + minibatch - 1) / minibatch) }

        public func validate() throws {
            func check(_ ok: Bool, _ reason: String) throws { if !ok { throw DiffusionError.invalidConfiguration(reason) } }
            try check(chains >= 2, "DDPO needs at least 2 chains a round to normalise rewards, got \(chains)")
            try check(steps >= 1 && passes >= 1 && minibatch >= 1, "steps, passes and minibatch must be at least 1")
            try check(clip.isFinite && clip > 0, "the PPO clip ε must be > 0, got \(clip)")
            if let limit = logRatioLimit { try check(limit > 0, "the log-ratio limit must be > 0, got \(limit)") }
            if let chunk { try check(chunk >= 1, "the chains drawn together must be at least 1, got \(chunk)") }
        }
    }

    /// Rewards of final samples (data units), one per graph.
    public typealias Score = (_ samples: SampleResult) throws -> [Double]

    /// One round's chains: per grid step the states before and after, and the old log-densities.
    struct Round: Codable {
        var layout: GraphLayout
        /// Per transition k: (t, s), z_t and z_s `[N nodes, 3]`/`[N, F]`, log p_old per chain `[N]`.
        var levels: [Level]
        var before: [GraphTensors]
        var after: [GraphTensors]
        var oldLogDensity: [[Double]]
        var advantages: [Double]
        var order: [Int]
    }

    struct Level: Codable { var t: Int, s: Int }

    /// What a resumed run needs: the generator, the round under way and the step within it.
    struct State: Codable {
        var generator: StoredGenerator
        var round: Round?
        var stepInRound: Int
    }

    public func runState() throws -> String? {
        String(decoding: try JSONEncoder().encode(State(generator: generator, round: round, stepInRound: stepInRound)), as: UTF8.self)
    }

    /// The policy's denoiser and process, and where its parameters sit in θ (`AncestralPolicy`).
    public let network: Network
    public let process: DiffusionProcess
    public let parameterCount: Int
    public let trainedRange: Range<Int>
    public let settings: Settings
    let nodeCounts: NodeCountDistribution
    let score: Score
    let onRound: (_ samples: SampleResult, _ rewards: [Double]) -> Void
    var generator: StoredGenerator
    var round: Round?
    var stepInRound = 0

    /// A run from its first round, or from `runState` (a checkpoint's) when resuming.
    public init<Model: AncestralPolicy>(model: Model, settings: Settings, nodeCounts: NodeCountDistribution, seed: UInt64,
                runState: String? = nil, score: @escaping Score,
                onRound: @escaping (SampleResult, [Double]) -> Void = { _, _ in }) throws where Model.Network == Network {
        try settings.validate()
        network = model.network
        process = model.process
        parameterCount = model.parameterCount
        trainedRange = model.trainedRange
        self.settings = settings
        self.nodeCounts = nodeCounts
        self.score = score
        self.onRound = onRound
        generator = StoredGenerator(Xoshiro256StarStar(seed: seed))
        if let runState {
            do {
                let state = try JSONDecoder().decode(State.self, from: Data(runState.utf8))
                (generator, round, stepInRound) = (state.generator, state.round, state.stepInRound)
            } catch {
                throw DiffusionError.invalidConfiguration("the DDPO state in the checkpoint is unreadable: \(error)")
            }
        }
    }

    public var graphsPerStep: Int { settings.minibatch }

    public mutating func step(_ trainer: Trainer) throws -> TrainingStepReport {
        var generator = try self.generator.restored()
        if round == nil || stepInRound >= settings.stepsPerRound {
            round = try drawRound(parameters: trainer.state.parameters, using: &generator, over: trainer.communicator)
            stepInRound = 0
        }
        guard let round else { preconditionFailure("a round always exists here") }
        let batches = (settings.chains + settings.minibatch - 1) / settings.minibatch
        let b = stepInRound % batches
        let chains = Array(round.order[(b * settings.minibatch) ..< min((b + 1) * settings.minibatch, settings.chains)])
        // Over the ranks: each takes its part of the minibatch (balanced by cost) and the parts are summed.
        let part = trainer.communicator.part(of: GraphLayout(nodeCounts: chains.map { round.layout.nodes(ofGraph: $0).count }))
        var (loss, gradient) = lossAndGradient(parameters: trainer.state.parameters, round: round,
                                               chains: Array(chains[part]), minibatch: chains.count)
        try trainer.sumOverRanks(loss: &loss, gradient: &gradient)
        let report = try trainer.step(loss: loss, gradient: &gradient)
        stepInRound += 1
        if stepInRound % batches == 0 {   // a new pass visits the chains in a new order
            self.round?.order = round.order.shuffled(using: &generator)
        }
        self.generator = StoredGenerator(generator)
        return report
    }
}
