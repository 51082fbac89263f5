import Foundation

extension DDPO {
    /// The mean and deviation of the step t → s from z_t given ε̂: μ = z_t/α_{t|s} − c ε̂.
    static func stepCoefficients(_ schedule: any NoiseSchedule, from t: Int, to s: Int) -> (inverseAlpha: Double, c: Double, q: Double) {
        let (alphaTS, sigma2TS) = schedule.transition(from: s, to: t)
        let sigmaT = schedule.sigma(at: t)
        return (1 / alphaTS, sigma2TS / alphaTS / sigmaT, sigma2TS.squareRoot() * schedule.sigma(at: s) / sigmaT)
    }

    /// Draws the round's chains with `parameters`, keeping every Gaussian transition, and scores them.
    func drawRound(parameters: [Float], using generator: inout Xoshiro256StarStar) throws -> Round {
        let process = model.process, network = model.network
        let grid = try AncestralSampler(process: process, steps: settings.steps)
        let layout = GraphLayout(nodeCounts: nodeCounts.sample(settings.chains, using: &generator))
        var z = process.sampleNoise(layout: layout, using: &generator)
        var round = Round(layout: layout, levels: [], before: [], after: [], oldLogDensity: [], advantages: [],
                          order: Array(0 ..< settings.chains))
        for (index, t) in grid.timesteps.enumerated() {
            let time = [Float](repeating: Float(t) / Float(process.timesteps), count: layout.graphCount)
            let prediction = network.predict(DenoiserInput(layout: layout, positions: z.positions, features: z.features, time: time),
                                             parameters: parameters)
            guard index + 1 < grid.timesteps.count else {
                grid.step(&z, prediction: prediction, index: index, layout: layout, using: &generator)   // p(x | z_0)
                break
            }
            let s = grid.timesteps[index + 1]
            let k = Self.stepCoefficients(process.schedule, from: t, to: s)
            let noise = process.sampleNoise(layout: layout, using: &generator)
            var next = z
            for i in next.positions.indices {
                next.positions[i] = Float(Double(z.positions[i]) * k.inverseAlpha - k.c * Double(prediction.positions[i]) + k.q * Double(noise.positions[i]))
            }
            for i in next.features.indices {
                next.features[i] = Float(Double(z.features[i]) * k.inverseAlpha - k.c * Double(prediction.features[i]) + k.q * Double(noise.features[i]))
            }
            round.levels.append(Level(t: t, s: s))
            round.before.append(z)
            round.after.append(next)
            round.oldLogDensity.append(Self.logDensities(after: next, before: z, prediction: prediction, layout: layout, k))
            z = next
        }
        let samples = SampleResult(layout: layout, positions: z.positions, features: process.scaling.unscaled(z.features))
        let rewards = try score(samples)
        guard rewards.count == settings.chains else {
            throw DiffusionError.invalidConfiguration("the reward gave \(rewards.count) scores for \(settings.chains) chains")
        }
        let mean = rewards.reduce(0, +) / Double(rewards.count)
        let deviation = (rewards.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rewards.count)).squareRoot()
        round.advantages = rewards.map { ($0 - mean) / max(deviation, 1e-8) }
        round.order.shuffle(using: &generator)
        onRound(samples, rewards)
        return round
    }

    /// log p(z_s | z_t) per graph up to its constant: −‖z_s − μ‖² / 2q².
    static func logDensities(after: GraphTensors, before: GraphTensors, prediction: DenoiserOutput, layout: GraphLayout,
                             _ k: (inverseAlpha: Double, c: Double, q: Double)) -> [Double] {
        let f = layout.nodeCount == 0 ? 0 : before.features.count / layout.nodeCount
        return (0 ..< layout.graphCount).map { g in
            var sum = 0.0
            for i in layout.nodes(ofGraph: g) {
                for d in (3 * i) ..< (3 * i + 3) {
                    let r = Double(after.positions[d]) - (Double(before.positions[d]) * k.inverseAlpha - k.c * Double(prediction.positions[d]))
                    sum += r * r
                }
                for d in (f * i) ..< (f * i + f) {
                    let r = Double(after.features[d]) - (Double(before.features[d]) * k.inverseAlpha - k.c * Double(prediction.features[d]))
                    sum += r * r
                }
            }
            return -sum / (2 * k.q * k.q)
        }
    }

    /// PPO's clipped surrogate loss over every transition of `chains` and its gradient.
    func lossAndGradient(parameters: [Float], round: Round, chains: [Int]) -> (loss: Double, gradient: [Float]) {
        let process = model.process
        var gradient = [Float](repeating: 0, count: model.parameterCount)
        var loss = 0.0
        let count = Double(chains.count * round.levels.count)
        let full = round.layout
        let layout = GraphLayout(nodeCounts: chains.map { full.nodes(ofGraph: $0).count })
        let f = process.featureWidth
        func gather(_ x: GraphTensors) -> GraphTensors {
            var out = GraphTensors(positions: [], features: [])
            for g in chains {
                let nodes = full.nodes(ofGraph: g)
                out.positions += x.positions[(3 * nodes.lowerBound) ..< (3 * nodes.upperBound)]
                out.features += x.features[(f * nodes.lowerBound) ..< (f * nodes.upperBound)]
            }
            return out
        }
        for (j, level) in round.levels.enumerated() {
            let k = Self.stepCoefficients(process.schedule, from: level.t, to: level.s)
            let before = gather(round.before[j]), after = gather(round.after[j])
            let time = [Float](repeating: Float(level.t) / Float(process.timesteps), count: chains.count)
            let input = DenoiserInput(layout: layout, positions: before.positions, features: before.features, time: time)
            loss += model.network.lossAndGradient(input, parameters: parameters, gradient: &gradient) { prediction, dPrediction in
                let logDensity = Self.logDensities(after: after, before: before, prediction: prediction, layout: layout, k)
                dPrediction.positions = [Float](repeating: 0, count: prediction.positions.count)
                dPrediction.features = [Float](repeating: 0, count: prediction.features.count)
                var value = 0.0
                for (g, chain) in chains.enumerated() {
                    let advantage = round.advantages[chain]
                    let logRatio = logDensity[g] - round.oldLogDensity[j][chain]
                    if let limit = settings.logRatioLimit, !(abs(logRatio) <= limit) {
                        value += -advantage * (logRatio > 0 ? 1 + settings.clip : 1 - settings.clip) / count
                        continue
                    }
                    let ratio = exp(logRatio)
                    let clipped = min(max(ratio, 1 - settings.clip), 1 + settings.clip)
                    let unclippedTerm = -advantage * ratio, clippedTerm = -advantage * clipped
                    value += max(unclippedTerm, clippedTerm) / count
                    // The gradient flows through ρ only where the unclipped term is the larger.
                    guard unclippedTerm >= clippedTerm else { continue }
                    // ∂L/∂ε̂ = −A ρ ∂log p/∂ε̂ / count, and with μ = z_t/α − c ε̂: ∂log p/∂ε̂ = −c (z_s − μ) / q².
                    let scale = -advantage * ratio / count * (-k.c / (k.q * k.q))
                    for i in layout.nodes(ofGraph: g) {
                        for d in (3 * i) ..< (3 * i + 3) {
                            let mu = Double(before.positions[d]) * k.inverseAlpha - k.c * Double(prediction.positions[d])
                            dPrediction.positions[d] = Float(scale * (Double(after.positions[d]) - mu))
                        }
                        for d in (f * i) ..< (f * i + f) {
                            let mu = Double(before.features[d]) * k.inverseAlpha - k.c * Double(prediction.features[d])
                            dPrediction.features[d] = Float(scale * (Double(after.features[d]) - mu))
                        }
                    }
                }
                return value
            }
        }
        return (loss, gradient)
    }
}
