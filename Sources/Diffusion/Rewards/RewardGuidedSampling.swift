import Foundation

/// RGDM's sampler (Zhang & Xu 2023): EDM's ancestral chain in which, at each
/// of the last `levels` reverse steps, every graph draws K candidates
/// z_s^k = μ_θ(z_t) + q_t ξ_k from the model's own step and keeps one, drawn
/// with probability softmax_k(r_k / τ): the pay-off distribution restricted to
/// the model's proposals. r_k is the reward of the candidate's denoised
/// estimate x̂_0 = (z_s^k − σ_s ε_θ(z_s^k, s)) / α_s (one more network call per
/// candidate), in data units. Works with any model; τ → ∞ is the plain chain,
/// τ → 0 keeps the best candidate.
public struct RewardGuidedSampling: Sendable, Equatable {
    /// K ≥ 1 candidates per step and graph.
    public var explorations: Int
    /// τ > 0.
    public var temperature: Double
    /// Guided steps: those from t ≤ `levels` (the last ones, where bonds form).
    public var levels: Int

    public init(explorations: Int, temperature: Double, levels: Int) throws {
        guard explorations >= 1 else { throw DiffusionError.invalidConfiguration("explorations K must be at least 1, got \(explorations)") }
        guard temperature.isFinite, temperature > 0 else {
            throw DiffusionError.invalidConfiguration("the pay-off temperature τ must be > 0, got \(temperature)")
        }
        guard levels >= 1 else { throw DiffusionError.invalidConfiguration("guided levels must be at least 1, got \(levels)") }
        self.explorations = explorations
        self.temperature = temperature
        self.levels = levels
    }

    /// Rewards of graphs in data units, one per graph.
    public typealias Score = (_ graphs: SampleResult) throws -> [Double]

    /// Graphs of `nodeCounts` from `model` at `parameters`, every graph with `condition`
    /// (`[conditionWidth]` or empty). Same generator state, same graphs.
    public func generate<Network: Denoiser, G: RandomNumberGenerator>(
        model: GraphDiffusionModel<Network>, parameters: [Float], nodeCounts: [Int], condition: [Float] = [],
        score: Score, using generator: inout G
    ) throws -> SampleResult {
        try model.checkCondition(condition)
        return try generate(network: model.network, process: model.process, parameters: parameters, nodeCounts: nodeCounts,
                            condition: condition, score: score, using: &generator)
    }

    /// The same chain on any denoiser `network` of `process` (a latent point model's prior, whose
    /// graphs are one-node latents): the caller checks the condition's width.
    public func generate<Network: Denoiser, G: RandomNumberGenerator>(
        network: Network, process: DiffusionProcess, parameters: [Float], nodeCounts: [Int], condition: [Float] = [],
        score: Score, using generator: inout G
    ) throws -> SampleResult {
        let schedule = process.schedule
        let layout = GraphLayout(nodeCounts: nodeCounts), graphs = layout.graphCount, k = explorations
        let graphCondition = condition.isEmpty ? [] : Array([[Float]](repeating: condition, count: graphs).joined())
        let plain = AncestralSampler(process: process)
        var z = process.sampleNoise(layout: layout, using: &generator)
        func predict(_ z: GraphTensors, layout: GraphLayout, level: Int, condition: [Float]) -> DenoiserOutput {
            network.predict(DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                          time: [Float](repeating: Float(level) / Float(process.timesteps), count: layout.graphCount),
                                          condition: condition), parameters: parameters)
        }
        for (index, t) in plain.timesteps.enumerated() {
            let prediction = predict(z, layout: layout, level: t, condition: graphCondition)
            guard t >= 1, t <= levels else {
                plain.step(&z, prediction: prediction, index: index, layout: layout, using: &generator)
                continue
            }
            // K candidates of the model's own step, as one batch of K·B graphs (candidate-major).
            var candidates = GraphTensors(positions: [], features: [])
            for _ in 0 ..< k {
                var candidate = z
                plain.step(&candidate, prediction: prediction, index: index, layout: layout, using: &generator)
                candidates.positions += candidate.positions
                candidates.features += candidate.features
            }
            let candidateLayout = GraphLayout(nodeCounts: [[Int]](repeating: nodeCounts, count: k).flatMap { $0 })
            let candidateCondition = Array([[Float]](repeating: graphCondition, count: k).joined())
            let eps = predict(candidates, layout: candidateLayout, level: t - 1, condition: candidateCondition)
            let a = schedule.alpha(at: t - 1), s = schedule.sigma(at: t - 1)
            let positions = zip(candidates.positions, eps.positions).map { Float((Double($0) - s * Double($1)) / a) }
            let features = zip(candidates.features, eps.features).map { Float((Double($0) - s * Double($1)) / a) }
            let rewards = try score(SampleResult(layout: candidateLayout, positions: positions,
                                                 features: process.scaling.unscaled(features)))
            guard rewards.count == k * graphs else {
                throw DiffusionError.invalidConfiguration("the reward gave \(rewards.count) scores for \(k * graphs) candidates")
            }
            let f = process.featureWidth, nodes = layout.nodeCount
            for g in 0 ..< graphs {
                let weights = try RewardWeighting.weights(rewards: (0 ..< k).map { rewards[$0 * graphs + g] }, temperature: temperature)
                var u = Float(Double(generator.next() >> 11) * 0x1p-53) * Float(k), chosen = k - 1
                for j in 0 ..< k { if u < weights[j] { chosen = j; break }; u -= weights[j] }
                for i in layout.nodes(ofGraph: g) {
                    for d in 0 ..< 3 { z.positions[3 * i + d] = candidates.positions[3 * (chosen * nodes + i) + d] }
                    for d in 0 ..< f { z.features[f * i + d] = candidates.features[f * (chosen * nodes + i) + d] }
                }
            }
        }
        return SampleResult(layout: layout, positions: z.positions, features: process.scaling.unscaled(z.features))
    }
}
