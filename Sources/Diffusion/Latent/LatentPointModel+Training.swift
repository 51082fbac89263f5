import Foundation

extension LatentPointModel {

    public var lastLossTerms: [(name: String, value: Double)] {
        [("points_loss", lastTerms.points), ("kl", lastTerms.kl), ("prior_loss", lastTerms.prior)]
    }

    public func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, gradient: inout [Float], using generator: inout G
    ) -> Double {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "parameters \(parameters.count), gradient \(gradient.count), model \(parameterCount)")
        let clouds = batch.layout.graphCount
        let shards = max(1, (clouds + Self.shardSize - 1) / Self.shardSize)
        if shards == 1 { return accumulateShard(parameters: parameters, batch: batch, gradient: &gradient, using: &generator) }
        // Each shard: its clouds, its own stream, its own gradient; combined in shard order,
        // weighted by its share of the batch (every term is a mean over clouds).
        let seeds = (0 ..< shards).map { _ in generator.next() }
        let pieces = (0 ..< shards).map { k in batch.slice(graphs: (k * clouds / shards) ..< ((k + 1) * clouds / shards)) }
        while shardResults.count < shards { shardResults.append(ShardResult()) }
        let results = self.shardResults
        // Each worker touches only its own replica and its shards' result objects.
        onReplicas(jobs: shards) { replica, k in
            var stream = Xoshiro256StarStar(seed: seeds[k])
            let result = results[k]
            result.gradient.resizeKeepingCapacity(to: parameters.count)
            result.loss = replica.accumulateShard(parameters: parameters, batch: pieces[k], gradient: &result.gradient,
                                                  using: &stream)
            result.terms = replica.lastTerms
        }
        var loss = 0.0
        var terms = (points: 0.0, kl: 0.0, prior: 0.0)
        gradient.withUnsafeMutableBufferPointer { total in
            for k in 0 ..< shards {
                let share = Double(pieces[k].layout.graphCount) / Double(clouds), result = results[k]
                loss += share * result.loss
                terms.points += share * result.terms.points
                terms.kl += share * result.terms.kl
                terms.prior += share * result.terms.prior
                result.gradient.withUnsafeBufferPointer { g in
                    Kernels.axpy(Float(share), g.baseAddress!, total.baseAddress!, count: total.count)
                }
            }
        }
        lastTerms = terms
        return loss
    }

    /// One shard's loss, loss terms and gradient.
    final class ShardResult {
        var gradient: [Float] = []
        var loss = 0.0
        var terms = (points: 0.0, kl: 0.0, prior: 0.0)
    }

    /// The objective on one shard of a batch (the whole batch when it is small).
    private func accumulateShard<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, gradient: inout [Float], using generator: inout G
    ) -> Double {
        let layout = batch.layout, clouds = layout.graphCount, z = latentWidth
        // q(z | X) on the centred clouds: [clouds, 2Z] = [μ, log σ²]
        encodeCentred(batch.positions, layout: layout, parameters: parameters, centred: &centred, workspace: &encoderWorkspace)
        // z = μ + σ ε_z: [clouds, Z]
        latentNoise.resizeKeepingCapacity(to: clouds * z)
        generator.fillStandardNormal(&latentNoise)
        latent.resizeKeepingCapacity(to: clouds * z)
        let stats = encoderWorkspace.output
        var kl = 0.0
        for g in 0 ..< clouds {
            for j in 0 ..< z {
                let mu = stats[g * 2 * z + j], logVariance = stats[g * 2 * z + z + j]
                let sigma = Foundation.exp(0.5 * logVariance)
                latent[g * z + j] = mu + sigma * latentNoise[g * z + j]
                kl += 0.5 * Double(mu * mu + sigma * sigma - 1 - logVariance)
            }
        }
        kl /= Double(max(clouds, 1))

        let priorOnly = configuration.phase == .prior
        // Decoder: EDM's ε-loss on the (centred; a random subset of) points given z, and ∂L/∂z.
        latentGradient.resizeKeepingCapacity(to: clouds * z)
        var pointBatch = GraphBatch(layout: layout, positions: centred, features: [], condition: latent, weights: batch.weights)
        if let m = configuration.decoderPointsPerStep, layout.nodeCounts.contains(where: { $0 > m }) {
            subset.removeAll(keepingCapacity: true)
            var counts: [Int] = []
            for g in 0 ..< clouds {
                let nodes = layout.nodes(ofGraph: g), take = min(m, nodes.count)
                order.removeAll(keepingCapacity: true)
                order.append(contentsOf: nodes)
                for k in 0 ..< take {   // partial Fisher–Yates
                    order.swapAt(k, k + Int(generator.next(upperBound: UInt64(nodes.count - k))))
                    subset.append(contentsOf: centred[(3 * order[k]) ..< (3 * order[k] + 3)])
                }
                counts.append(take)
            }
            pointBatch.layout = GraphLayout(nodeCounts: counts)
            pointBatch.positions = subset
        }
        let pointLoss = priorOnly ? 0 : withPart(decoderRange, parameters: parameters, gradient: &gradient) { p, g in
            GradientStep.accumulate(denoiser: decoder, process: pointProcess, parameters: p, batch: pointBatch,
                                    gradient: &g, buffers: &pointBuffers, conditionGradient: &latentGradient, using: &generator)
        }
        // Prior: the same objective on sg(z) (or sg(μ)), as one-node graphs, each latent
        // `priorDraws` times (its own t and ε each time; the loss is their mean). A conditional
        // prior sees each cloud's condition, dropped to ∅ per draw with the dropout probability.
        let draws = configuration.priorDraws
        let target = configuration.target == .sample ? latent : means(of: stats, clouds: clouds)
        let latentLayout = GraphLayout(nodeCounts: [Int](repeating: 1, count: clouds * draws))
        var latentBatch = GraphBatch(layout: latentLayout, positions: [Float](repeating: 0, count: 3 * clouds * draws),
                                     features: draws == 1 ? target : Array([[Float]](repeating: target, count: draws).joined()),
                                     condition: Array([[Float]](repeating: batch.condition, count: draws).joined()),
                                     weights: batch.weights.map { Array([[Float]](repeating: $0, count: draws).joined()) })
        conditionalTraining.dropConditions(&latentBatch.condition, graphs: clouds * draws, using: &generator)
        let priorLoss = withPart(priorRange, parameters: parameters, gradient: &gradient) { p, g in
            GradientStep.accumulate(denoiser: prior, process: latentProcess, parameters: p, batch: latentBatch,
                                    gradient: &g, buffers: &latentBuffers, using: &generator)
        }

        if priorOnly {
            lastTerms = (0, kl, priorLoss)
            return priorLoss
        }
        // ∂/∂[μ, log σ²]: through z (dμ = dz, d log σ² = dz ε σ / 2) and β KL / B.
        let beta = Float(configuration.klWeight) / Float(max(clouds, 1))
        encoderOutputGradient.resizeKeepingCapacity(to: clouds * 2 * z)
        for g in 0 ..< clouds {
            for j in 0 ..< z {
                let mu = stats[g * 2 * z + j], logVariance = stats[g * 2 * z + z + j]
                let sigma = Foundation.exp(0.5 * logVariance), dz = latentGradient[g * z + j]
                encoderOutputGradient[g * 2 * z + j] = dz + beta * mu
                encoderOutputGradient[g * 2 * z + z + j] = 0.5 * dz * latentNoise[g * z + j] * sigma + 0.5 * beta * (sigma * sigma - 1)
            }
        }
        encoder.backward(outputGradient: encoderOutputGradient, parameters: parameters, at: encoderRange.lowerBound,
                         gradient: &gradient, workspace: encoderWorkspace)
        lastTerms = (pointLoss, kl, priorLoss)
        return pointLoss + configuration.klWeight * kl + priorLoss
    }

    /// Runs `body` on one part's parameters and a zeroed gradient of its size, then adds that gradient into `gradient[range]`.
    private func withPart(_ range: Range<Int>, parameters: [Float], gradient: inout [Float],
                          _ body: ([Float], inout [Float]) -> Double) -> Double {
        let part = Array(parameters[range])
        partGradient.resizeKeepingCapacity(to: range.count)
        let value = body(part, &partGradient)
        for k in 0 ..< range.count { gradient[range.lowerBound + k] += partGradient[k] }
        return value
    }
}
