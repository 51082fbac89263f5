import Foundation

extension DDPO {
    /// The mean and deviation of the step t → s from z_t given ε̂: μ = z_t/α_{t|s} − c ε̂.
    static func stepCoefficients(_ schedule: any NoiseSchedule, from t: Int, to s: Int) -> (inverseAlpha: Double, c: Double, q: Double) {
        let (alphaTS, sigma2TS) = schedule.transition(from: s, to: t)
        let sigmaT = schedule.sigma(at: t)
        return (1 / alphaTS, sigma2TS / alphaTS / sigmaT, sigma2TS.squareRoot() * schedule.sigma(at: s) / sigmaT)
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

    /// PPO's clipped surrogate loss over every transition of `chains` and its gradient; with
    /// `minibatch`, the terms of `chains` only, of the mean over a minibatch of that many chains
    /// (a rank's part, so that the parts' sums are the minibatch's loss and gradient).
    func lossAndGradient(parameters: [Float], round: Round, chains: [Int], minibatch: Int? = nil) -> (loss: Double, gradient: [Float]) {
        var gradient = [Float](repeating: 0, count: parameterCount)
        var loss = 0.0
        guard !chains.isEmpty else { return (loss, gradient) }
        // The network sees θ[trainedRange]; its gradient goes back there, zero elsewhere (frozen parts).
        let parameters = Array(parameters[trainedRange])
        var part = [Float](repeating: 0, count: trainedRange.count)
        let count = Double((minibatch ?? chains.count) * round.levels.count)
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
            loss += network.lossAndGradient(input, parameters: parameters, gradient: &part) { prediction, dPrediction in
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
        for k in part.indices { gradient[trainedRange.lowerBound + k] = part[k] }
        return (loss, gradient)
    }
}
