import Foundation

extension StepLevelRGDM {
    /// One step's draws, fixed: the noisy states z_t, the weighted target ε̄*, and the data
    /// term's batch and generator. The loss is a function of θ given these.
    public struct Targets {
        public var layout: GraphLayout
        /// z_t: `[N, 3]`, `[N, F]`.
        public var state: GraphTensors
        /// t / T per graph: `[B]`.
        public var time: [Float]
        /// ε̄* per node: `[N, 3]`, `[N, F]`.
        public var target: GraphTensors
        /// Rewards of the draws, `[K][B]`, and their pay-off weights, `[K][B]`.
        public var rewards: [[Double]]
        public var weights: [[Double]]
        /// The data term's batch (each graph weighted λ) and the generator its t and ε come from.
        public var dataBatch: GraphBatch
        public var dataGenerator: Xoshiro256StarStar
    }

    /// Draws t, z_t, the K explorations around the model's proposal at `parameters`, scores
    /// them and forms the pay-off-weighted target ε̄*.
    public func targets(parameters: [Float], batch: GraphBatch,
                        using generator: inout Xoshiro256StarStar) throws -> Targets {
        let schedule = process.schedule, layout = batch.layout
        let graphs = layout.graphCount, k = settings.explorations
        let top = settings.maximumTimestep ?? process.timesteps
        let x = process.prepare(positions: batch.positions, features: batch.features, layout: layout)
        let t = (0 ..< graphs).map { _ in settings.minimumTimestep + Int(generator.next(upperBound: UInt64(top - settings.minimumTimestep + 1))) }
        let noise = process.sampleNoise(layout: layout, using: &generator)
        let state = process.diffuse(x, noise: noise, timesteps: t, layout: layout)
        let time = process.normalizedTime(t)
        let own = networkParameters(parameters)
        let predicted = network.predict(DenoiserInput(layout: layout, positions: state.positions, features: state.features,
                                                      time: time, condition: batch.condition), parameters: own)
        // Per graph: c_t (∂μ/∂ε̂ = −c_t), q_t (the step's deviation), 1/α_{t|s}.
        let steps = t.map { t -> (c: Double, q: Double, inverseAlpha: Double) in
            let (alphaTS, sigma2TS) = schedule.transition(from: t - 1, to: t)
            let sigmaT = schedule.sigma(at: t)
            return (sigma2TS / alphaTS / sigmaT, sigma2TS.squareRoot() * schedule.sigma(at: t - 1) / sigmaT, 1 / alphaTS)
        }
        let nodeGraph = layout.graphOfNode.map(Int.init), f = process.featureWidth
        // The K draws z_s^k = μ + ρ q ξ_k, as one batch of K·B graphs (draw-major).
        var explorations: [GraphTensors] = []
        var draws = GraphTensors(positions: [], features: [])
        for _ in 0 ..< k {
            let xi = process.sampleNoise(layout: layout, using: &generator)
            explorations.append(xi)
            for i in 0 ..< state.positions.count {
                let g = steps[nodeGraph[i / 3]]
                let mean = Double(state.positions[i]) * g.inverseAlpha - g.c * Double(predicted.positions[i])
                draws.positions.append(Float(mean + settings.radius * g.q * Double(xi.positions[i])))
            }
            for i in 0 ..< state.features.count {
                let g = steps[nodeGraph[i / max(f, 1)]]
                let mean = Double(state.features[i]) * g.inverseAlpha - g.c * Double(predicted.features[i])
                draws.features.append(Float(mean + settings.radius * g.q * Double(xi.features[i])))
            }
        }
        let drawLayout = GraphLayout(nodeCounts: [[Int]](repeating: layout.nodeCounts, count: k).flatMap { $0 })
        let s = [[Int]](repeating: t.map { $0 - 1 }, count: k).flatMap { $0 }
        let scored = scoredGraphs(draws, layout: drawLayout, levels: s, condition: [[Float]](repeating: batch.condition, count: k).flatMap { $0 },
                                  parameters: own)
        let flat = try score(scored)
        guard flat.count == k * graphs else {
            throw DiffusionError.invalidConfiguration("the reward gave \(flat.count) scores for \(k * graphs) draws")
        }
        let rewards = (0 ..< k).map { Array(flat[($0 * graphs) ..< (($0 + 1) * graphs)]) }
        var weights = [[Double]](repeating: [Double](repeating: 0, count: graphs), count: k)
        for g in 0 ..< graphs {
            let w = try RewardWeighting.weights(rewards: (0 ..< k).map { rewards[$0][g] }, temperature: settings.temperature)
            for j in 0 ..< k { weights[j][g] = Double(w[j]) / Double(k) }
        }
        // ε̄* = ε̂ − (ρ q / c) Σ_k w_k ξ_k
        var target = GraphTensors(positions: predicted.positions, features: predicted.features)
        for j in 0 ..< k {
            for i in 0 ..< target.positions.count {
                let graph = nodeGraph[i / 3], g = steps[graph]
                target.positions[i] -= Float(settings.radius * g.q / g.c * weights[j][graph] * Double(explorations[j].positions[i]))
            }
            for i in 0 ..< target.features.count {
                let graph = nodeGraph[i / max(f, 1)], g = steps[graph]
                target.features[i] -= Float(settings.radius * g.q / g.c * weights[j][graph] * Double(explorations[j].features[i]))
            }
        }
        var dataBatch = batch
        dataBatch.weights = [Float](repeating: Float(settings.dataWeight), count: graphs)
        let dataGenerator = Xoshiro256StarStar(seed: generator.next())
        return Targets(layout: layout, state: state, time: time, target: target, rewards: rewards, weights: weights,
                       dataBatch: dataBatch, dataGenerator: dataGenerator)
    }

    /// The draws as the reward sees them: x̂_0 of each (`.denoised`) or the draws themselves
    /// (`.noisy`), positions as they are and features in data units; `parameters` the network's.
    private func scoredGraphs(_ draws: GraphTensors, layout: GraphLayout, levels s: [Int], condition: [Float],
                              parameters: [Float]) -> SampleResult {
        let schedule = process.schedule
        var result = draws
        if settings.scoredState == .denoised {
            let eps = network.predict(DenoiserInput(layout: layout, positions: draws.positions, features: draws.features,
                                                    time: process.normalizedTime(s), condition: condition), parameters: parameters)
            let nodeGraph = layout.graphOfNode.map(Int.init), f = process.featureWidth
            for i in 0 ..< result.positions.count {
                let level = s[nodeGraph[i / 3]]
                result.positions[i] = Float((Double(draws.positions[i]) - schedule.sigma(at: level) * Double(eps.positions[i])) / schedule.alpha(at: level))
            }
            for i in 0 ..< result.features.count {
                let level = s[nodeGraph[i / max(f, 1)]]
                result.features[i] = Float((Double(draws.features[i]) - schedule.sigma(at: level) * Double(eps.features[i])) / schedule.alpha(at: level))
            }
        }
        return SampleResult(layout: layout, positions: result.positions, features: process.scaling.unscaled(result.features))
    }

    /// L(θ) = ‖ε_θ(z_t) − ε̄*‖² (EDM's per-graph mean, averaged over graphs) + λ·L_ε(θ; data),
    /// and ∂L/∂θ, with every draw fixed by `targets`. With `part` (a rank's graphs of the batch),
    /// both terms over those graphs alone, weighted by their share |part|/B, so that the parts'
    /// sums over the ranks are the whole batch's loss and gradient.
    /// The network's gradient lands in θ[trainedRange]; the rest of θ gets the data term's alone
    /// (a latent prior's frozen parts: zero).
    public func lossAndGradient(parameters: [Float], targets: Targets, part: Range<Int>? = nil) -> (loss: Double, gradient: [Float]) {
        var gradient = [Float](repeating: 0, count: parameterCount)
        let whole = 0 ..< targets.layout.graphCount, part = part ?? whole
        guard !part.isEmpty else { return (0, gradient) }
        // z_t and ε̄* of the part's graphs, as batches so that one slice cuts nodes, times and conditions alike.
        let state = GraphBatch(layout: targets.layout, positions: targets.state.positions, features: targets.state.features,
                               condition: targets.dataBatch.condition).slice(graphs: part)
        let target = GraphBatch(layout: targets.layout, positions: targets.target.positions,
                                features: targets.target.features).slice(graphs: part)
        let layout = state.layout
        let input = DenoiserInput(layout: layout, positions: state.positions, features: state.features,
                                  time: Array(targets.time[part]), condition: state.condition)
        let goal = GraphTensors(positions: target.positions, features: target.features)
        let objective: (DenoiserOutput, inout DenoiserOutput) -> Double = { prediction, dPrediction in
            EpsilonLoss.evaluate(prediction: prediction, target: goal, layout: layout, weights: nil, gradient: &dPrediction)
        }
        var loss: Double
        if trainedRange == 0 ..< parameterCount {
            loss = network.lossAndGradient(input, parameters: parameters, gradient: &gradient, loss: objective)
        } else {
            var own = [Float](repeating: 0, count: trainedRange.count)
            loss = network.lossAndGradient(input, parameters: Array(parameters[trainedRange]), gradient: &own, loss: objective)
            for k in own.indices { gradient[trainedRange.lowerBound + k] = own[k] }
        }
        if settings.dataWeight > 0 {
            var generator = targets.dataGenerator
            loss += model.accumulate(parameters: parameters, batch: targets.dataBatch, part: part, gradient: &gradient,
                                     using: &generator)
        }
        guard part != whole else { return (loss, gradient) }
        let share = Double(part.count) / Double(whole.count)
        let weight = Float(share)
        for k in gradient.indices { gradient[k] *= weight }
        return (loss * share, gradient)
    }
}
