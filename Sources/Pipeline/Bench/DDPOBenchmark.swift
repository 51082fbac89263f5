import Diffusion

/// Times rounds of DDPO (`DDPO<EGNN>`, `rgdm finetune --method ddpo`'s policy gradient) on a
/// freshly initialised EGNN, as the PyTorch peer `ddpo_torch.py` does: each round draws
/// `molecules` chains on `steps` strided ancestral steps of T = 1000 keeping every transition,
/// scores them with the peer's synthetic reward (compactness: −mean ‖x_i‖² over each molecule's
/// atoms), normalises the rewards over the round, then makes `ppoPasses` passes of PPO over the
/// transitions, `trainBatch` chains at a time, with AdamW (learning rate 1e-5, no amsgrad, EMA or
/// clipping, as the peer).
///
/// The network work matches the peer's: `steps` transitions a chain, one forward and backward
/// per transition and pass. rgdm's chain makes one call more (the decoding p(x | z_0), which is
/// not a transition), and rgdm's optimiser step accumulates the gradient over all transitions
/// of its `trainBatch` chains (DDPO's own choice), where the peer steps AdamW after each
/// transition's minibatch; AdamW's update is a small part of either.
///
/// Fresh weights do not denoise: both frameworks' chains blow up (mean squared radius 10⁵–10⁷ Å²
/// after 10–50 steps). There the roundoff between a round's batch and a training minibatch alone
/// makes |log ρ| ≈ 10⁴ at θ = θ_old: the peer's loss overflows and its weights turn NaN unnoticed,
/// while rgdm's trainer refuses a non-finite loss, so rgdm runs with `logRatioLimit` 20
/// (`DDPO.Settings`): such transitions give no gradient. The network work timed is the same.
struct DDPOBenchmark {
    struct Configuration: Codable {
        var layers: Int
        var hidden: Int
        var molecules: Int
        var steps: Int
        var rounds: Int
        var ppoPasses: Int
        var trainBatch: Int
        var clip: Double
        var threads: Int
        var seed: UInt64
    }

    struct Result: Codable {
        var configuration: Configuration
        var parameters: Int
        var seconds: Double
        var cpuSeconds: Double
        var samplingSeconds: Double
        var scoringSeconds: Double
        var trainingSeconds: Double
        var optimizerSteps: Int
        var moleculesPerSecond: Double
        /// Transitions through the network per second, sampling and training: molecules × steps × (1 + passes) / seconds (the peer's measure).
        var transitionsPerSecond: Double
        /// The compactness reward's mean over each round's molecules.
        var rewardMeans: [Double]
        /// Share of the machine's CPU other processes used meanwhile.
        var otherLoad: Double?
    }

    let configuration: Configuration

    /// The |log ρ| past which a transition gives no gradient (see above): e²⁰ keeps ρ finite.
    static let logRatioLimit = 20.0

    /// −mean ‖x_i‖² over each graph's atoms (positions in Å, centred): the peer's reward.
    static func compactness(_ samples: SampleResult) -> [Double] {
        (0 ..< samples.layout.graphCount).map { g in
            let nodes = samples.layout.nodes(ofGraph: g)
            let sum = nodes.reduce(0.0) { sum, i in
                sum + (0 ..< 3).reduce(0.0) { $0 + Double(samples.positions[3 * i + $1]) * Double(samples.positions[3 * i + $1]) }
            }
            return -sum / Double(max(nodes.count, 1))
        }
    }

    func run() throws -> Result {
        let c = configuration
        let fresh = try SyntheticMolecules.freshModel(layers: c.layers, hidden: c.hidden, threads: c.threads, seed: c.seed)
        guard let model = fresh.model as? EGNNModel else { preconditionFailure("a fresh EGNN card makes an EGNN model") }
        let trainer = try Trainer(model: model, configuration: TrainerConfiguration(
            optimizer: AdamWConfiguration(learningRate: 1e-5, amsgrad: false), emaDecay: 0, clipsGradients: false,
            batchSize: c.trainBatch, seed: c.seed), datasetSize: 1)
        try trainer.initialize(with: fresh.parameters)
        let settings = DDPO<EGNN>.Settings(chains: c.molecules, steps: c.steps, passes: c.ppoPasses, minibatch: c.trainBatch, clip: c.clip,
                                           logRatioLimit: Self.logRatioLimit)
        let clock = RoundClock()
        var rewardMeans: [Double] = []
        var ddpo = try DDPO(model: model, settings: settings, nodeCounts: fresh.card.nodeCounts, seed: c.seed,
                            score: { samples in
                                clock.samplingEndsNow()
                                return clock.measure(.scoring) { Self.compactness(samples) }
                            },
                            onRound: { _, rewards in rewardMeans.append(rewards.reduce(0, +) / Double(max(rewards.count, 1))) })
        let load = OtherLoad()
        let cpu = ResourceUsage.cpuSeconds, start = ResourceUsage.now
        let steps = c.rounds * settings.stepsPerRound
        for _ in 0 ..< steps { _ = try clock.step { try ddpo.step(trainer) } }
        let seconds = ResourceUsage.now - start
        let totals = clock.total, molecules = Double(c.rounds * c.molecules)
        return Result(configuration: c, parameters: model.parameterCount, seconds: seconds, cpuSeconds: ResourceUsage.cpuSeconds - cpu,
                      samplingSeconds: totals[.sampling] ?? 0, scoringSeconds: totals[.scoring] ?? 0,
                      trainingSeconds: totals[.training] ?? 0, optimizerSteps: steps, moleculesPerSecond: molecules / seconds,
                      transitionsPerSecond: molecules * Double(c.steps * (1 + c.ppoPasses)) / seconds,
                      rewardMeans: rewardMeans, otherLoad: load.fraction)
    }
}
