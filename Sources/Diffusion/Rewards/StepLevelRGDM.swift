import Foundation

/// RGDM at the level of reverse steps (Zhang & Xu 2023): the reverse chain as
/// a policy, trained toward a pay-off distribution over its next states.
///
/// For a data batch x_0 and t ~ U{t_min … t_max}: z_t = α_t x_0 + σ_t ε; the
/// model's reverse step p_θ(z_s | z_t) = N(μ_θ(z_t), q_t² I) with s = t − 1
/// (EDM's ancestral step); K exploratory draws z_s^k = μ_θ + ρ q_t ξ_k inside
/// the feasible set around the proposal (ρ in units of the step's own standard
/// deviation q_t, so the radius scales with the noise level: ρ = 1 explores as
/// widely as the model's own step); the reward r_k of each draw, scored on its
/// denoised estimate x̂_0(z_s^k) = (z_s^k − σ_s ε_θ(z_s^k, s)) / α_s (or on the
/// draw itself, the paper's literal form); pay-off weights w = softmax_k(r/τ).
/// The loss is the weighted negative log-likelihood of the draws,
///
///     Σ_k w_k ‖μ_θ(z_t) − z_s^k‖² / 2q_t²  =  c_t²/2q_t² · ‖ε_θ(z_t) − ε̄*‖² + const,
///     ε̄* = sg(ε̂) − (ρ q_t / c_t) Σ_k w_k ξ_k,   c_t = σ²_{t|s} / (α_{t|s} σ_t),
///
/// (μ_θ = z_t/α_{t|s} − c_t ε_θ), trained without the per-t factor c_t²/q_t² as
/// EDM's simplified loss drops its ELBO weights, plus λ times the ordinary
/// ε-loss on the same data, which keeps samples valid and diverse. As τ → ∞ the
/// step moves ε̂ along Σ_k (r_k − r̄) ξ_k, an evolution-strategies estimate of
/// the reward's gradient; as τ → 0 toward the best draw.
///
/// It runs on any `AncestralPolicy`: a graph model's chain over the whole of θ, or a
/// latent prior's (`LatentPriorModel`) over θ[trainedRange], whose data states are
/// shape latents (`LatentPriorModel.trainingLatents`), whose draws the caller's
/// `score` decodes into clouds, and whose encoder and decoder get a zero gradient.
/// What the reward of an exploratory draw is computed on.
public enum DrawScoring: String, Codable, Sendable, CaseIterable {
    /// x̂_0 of each draw (one more network call per draw): meaningful near the prior too.
    case denoised
    /// The draw z_s itself (unscaled), as the paper states it.
    case noisy
}

public struct StepLevelRGDM<Network: Denoiser>: TrainingSteps {
    public struct Settings: Codable, Sendable, Equatable {
        /// τ > 0.
        public var temperature: Double
        /// K ≥ 1 exploratory draws per graph.
        public var explorations: Int
        /// ρ > 0, in units of the reverse step's standard deviation.
        public var radius: Double
        /// λ ≥ 0: weight of the ordinary ε-loss on the data batch.
        public var dataWeight: Double
        /// Data graphs per step.
        public var batchSize: Int
        public var scoredState: DrawScoring
        /// The levels t trained (default 1 … T).
        public var minimumTimestep: Int
        public var maximumTimestep: Int?

        public init(temperature: Double, explorations: Int = 8, radius: Double = 0.5, dataWeight: Double = 1,
                    batchSize: Int, scoredState: DrawScoring = .denoised, minimumTimestep: Int = 1, maximumTimestep: Int? = nil) {
            self.temperature = temperature
            self.explorations = explorations
            self.radius = radius
            self.dataWeight = dataWeight
            self.batchSize = batchSize
            self.scoredState = scoredState
            self.minimumTimestep = minimumTimestep
            self.maximumTimestep = maximumTimestep
        }

        /// Throws `DiffusionError.invalidConfiguration` naming the first setting out of range.
        public func validate(timesteps: Int) throws {
            func check(_ ok: Bool, _ reason: String) throws { if !ok { throw DiffusionError.invalidConfiguration(reason) } }
            try check(temperature.isFinite && temperature > 0, "the pay-off temperature τ must be > 0, got \(temperature)")
            try check(explorations >= 1, "explorations K must be at least 1, got \(explorations)")
            try check(radius.isFinite && radius > 0, "the exploration radius ρ must be > 0, got \(radius)")
            try check(dataWeight.isFinite && dataWeight >= 0, "the data weight λ must be finite and ≥ 0, got \(dataWeight)")
            try check(batchSize >= 1, "the batch size must be at least 1, got \(batchSize)")
            let top = maximumTimestep ?? timesteps
            try check(minimumTimestep >= 1 && minimumTimestep <= top && top <= timesteps,
                      "the levels trained must lie in 1 … \(timesteps), got \(minimumTimestep) … \(top)")
        }
    }

    /// Rewards of graphs in data units (positions, unscaled features), one per graph.
    public typealias Score = (_ graphs: SampleResult) throws -> [Double]

    /// The policy's denoiser and process, and where its parameters sit in θ (`AncestralPolicy`).
    public let network: Network
    public let process: DiffusionProcess
    public let trainedRange: Range<Int>
    public let parameterCount: Int
    /// The whole model: the data term's ε-loss and the check of data batches.
    let model: any DiffusionModel
    public let settings: Settings
    private let data: any GraphDataSource
    let score: Score
    private var generator: StoredGenerator

    /// `data` holds the model's own graphs (a latent prior's: one-node latents); `score` gets
    /// each step's K·B draws (or their x̂_0) in data units.
    public init<Model: AncestralPolicy>(model: Model, settings: Settings, data: any GraphDataSource, seed: UInt64,
                                        runState: String? = nil, score: @escaping Score) throws where Model.Network == Network {
        try settings.validate(timesteps: model.process.timesteps)
        guard data.count > 0 else { throw DiffusionError.invalidConfiguration("step-level RGDM needs a dataset with graphs") }
        network = model.network
        process = model.process
        trainedRange = model.trainedRange
        parameterCount = model.parameterCount
        self.model = model
        self.settings = settings
        self.data = data
        self.score = score
        if let runState {
            do {
                generator = try JSONDecoder().decode(StoredGenerator.self, from: Data(runState.utf8))
            } catch {
                throw DiffusionError.invalidConfiguration("the fine-tuning state in the checkpoint is unreadable: \(error)")
            }
        } else {
            generator = StoredGenerator(Xoshiro256StarStar(seed: seed))
        }
    }

    public var graphsPerStep: Int { settings.batchSize }

    /// The network's part of θ (all of it for a graph model: no copy).
    func networkParameters(_ parameters: [Float]) -> [Float] {
        trainedRange == 0 ..< parameters.count ? parameters : Array(parameters[trainedRange])
    }

    public func runState() throws -> String? {
        String(decoding: try JSONEncoder().encode(generator), as: UTF8.self)
    }

    public mutating func step(_ trainer: Trainer) throws -> TrainingStepReport {
        var generator = try self.generator.restored()
        let indices = (0 ..< settings.batchSize).map { _ in Int(generator.next(upperBound: UInt64(data.count))) }
        let batch = try data.batch(at: indices)
        try model.validate(batch)
        let targets = try self.targets(parameters: trainer.state.parameters, batch: batch, using: &generator)
        // Over the ranks: each takes its part of the batch (balanced by cost) and the parts are summed.
        let communicator = trainer.communicator
        var (loss, gradient) = lossAndGradient(parameters: trainer.state.parameters, targets: targets,
                                               part: communicator.size > 1 ? communicator.part(of: targets.layout) : nil)
        try trainer.sumOverRanks(loss: &loss, gradient: &gradient)
        let report = try trainer.step(loss: loss, gradient: &gradient)
        self.generator = StoredGenerator(generator)
        return report
    }
}
