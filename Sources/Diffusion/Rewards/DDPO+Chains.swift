import Foundation

extension DDPO {
    /// One chunk of a round's chains: per Gaussian transition k the states before and after
    /// (`[n nodes, 3]`/`[n, F]` of the chunk's graphs) and log p_old per chain `[chunk]`, and the final samples.
    struct ChainChunk {
        var before: [GraphTensors] = []
        var after: [GraphTensors] = []
        var oldLogDensity: [[Double]] = []
        var final = GraphTensors(positions: [], features: [])
    }

    /// Draws the round's chains with `parameters`, keeping every Gaussian transition, and scores
    /// them. The node counts come from `generator`. With `settings.chunk` the chains are drawn in
    /// chunks of that many, chunk c with its own generator seeded from the round's seed and c, so
    /// each rank of `communicator` draws a share of the chunks and the gathered round is the
    /// one-process round bit for bit, whatever the number of ranks. Without, one batch drawn
    /// with `generator` itself, whole on every rank.
    func drawRound(parameters: [Float], using generator: inout Xoshiro256StarStar,
                   over communicator: any Communicator = SingleProcess()) throws -> Round {
        let grid = try AncestralSampler(process: process, steps: settings.steps)
        let layout = GraphLayout(nodeCounts: nodeCounts.sample(settings.chains, using: &generator))
        var chunks: [ChainChunk] = []
        if let size = settings.chunk {
            let seed = generator.next()
            for c in communicator.part(of: (settings.chains + size - 1) / size) {
                var chunkGenerator = Xoshiro256StarStar(seed: seed ^ (UInt64(c) &+ 1) &* 0xD1B5_4A32_D192_ED03)
                let graphs = (c * size) ..< min((c + 1) * size, settings.chains)
                chunks.append(drawChains(GraphLayout(nodeCounts: Array(layout.nodeCounts[graphs])), grid: grid,
                                         parameters: parameters, using: &chunkGenerator))
            }
            if communicator.size > 1 { chunks = try Self.gather(chunks, over: communicator) }
        } else {
            chunks = [drawChains(layout, grid: grid, parameters: parameters, using: &generator)]
        }
        var round = Round(layout: layout, levels: [], before: [], after: [], oldLogDensity: [], advantages: [],
                          order: Array(0 ..< settings.chains))
        for (index, t) in grid.timesteps.enumerated().dropLast() {
            round.levels.append(Level(t: t, s: grid.timesteps[index + 1]))
            round.before.append(Self.joined(chunks.map { $0.before[index] }))
            round.after.append(Self.joined(chunks.map { $0.after[index] }))
            round.oldLogDensity.append(chunks.flatMap { $0.oldLogDensity[index] })
        }
        let z = Self.joined(chunks.map(\.final))
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

    /// The chains of `layout`'s graphs from z_T, as one batch.
    private func drawChains(_ layout: GraphLayout, grid: AncestralSampler, parameters: [Float],
                            using generator: inout Xoshiro256StarStar) -> ChainChunk {
        let parameters = Array(parameters[trainedRange])   // the network's part of θ
        var z = process.sampleNoise(layout: layout, using: &generator)
        var chunk = ChainChunk()
        for (index, t) in grid.timesteps.enumerated() {
            let time = [Float](repeating: Float(t) / Float(process.timesteps), count: layout.graphCount)
            let prediction = network.predict(DenoiserInput(layout: layout, positions: z.positions, features: z.features, time: time),
                                             parameters: parameters)
            guard index + 1 < grid.timesteps.count else {
                grid.step(&z, prediction: prediction, index: index, layout: layout, using: &generator)   // p(x | z_0)
                break
            }
            let k = Self.stepCoefficients(process.schedule, from: t, to: grid.timesteps[index + 1])
            let noise = process.sampleNoise(layout: layout, using: &generator)
            var next = z
            for i in next.positions.indices {
                next.positions[i] = Float(Double(z.positions[i]) * k.inverseAlpha - k.c * Double(prediction.positions[i]) + k.q * Double(noise.positions[i]))
            }
            for i in next.features.indices {
                next.features[i] = Float(Double(z.features[i]) * k.inverseAlpha - k.c * Double(prediction.features[i]) + k.q * Double(noise.features[i]))
            }
            chunk.before.append(z)
            chunk.after.append(next)
            chunk.oldLogDensity.append(Self.logDensities(after: next, before: z, prediction: prediction, layout: layout, k))
            z = next
        }
        chunk.final = z
        return chunk
    }

    /// The states of consecutive chunks as one layout's (nodes in chunk order).
    private static func joined(_ parts: [GraphTensors]) -> GraphTensors {
        GraphTensors(positions: Array(parts.map(\.positions).joined()), features: Array(parts.map(\.features).joined()))
    }

    /// Every rank's chunks on every rank, in rank order (so in chunk order).
    private static func gather(_ chunks: [ChainChunk], over communicator: any Communicator) throws -> [ChainChunk] {
        var message = RankMessage()
        message.append(chunks.count)
        for chunk in chunks {
            message.append(chunk.before.count)
            for k in chunk.before.indices {
                for state in [chunk.before[k], chunk.after[k]] {
                    message.append(state.positions)
                    message.append(state.features)
                }
                message.append(chunk.oldLogDensity[k])
            }
            message.append(chunk.final.positions)
            message.append(chunk.final.features)
        }
        return try communicator.allGather(message.bytes).flatMap { bytes -> [ChainChunk] in
            var received = RankMessage(bytes: bytes)
            return (0 ..< received.readInt()).map { _ in
                var chunk = ChainChunk()
                for _ in 0 ..< received.readInt() {
                    chunk.before.append(GraphTensors(positions: received.readFloats(), features: received.readFloats()))
                    chunk.after.append(GraphTensors(positions: received.readFloats(), features: received.readFloats()))
                    chunk.oldLogDensity.append(received.readDoubles())
                }
                chunk.final = GraphTensors(positions: received.readFloats(), features: received.readFloats())
                return chunk
            }
        }
    }
}
