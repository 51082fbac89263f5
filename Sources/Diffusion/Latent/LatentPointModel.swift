import Foundation

/// Latent point diffusion for shapes (Luo & Hu 2021, "Diffusion Probabilistic
/// Models for 3D Point Cloud Generation", §4): a cloud X is encoded to a
/// shape latent z ~ q(z | X) (PointNet), its points are generated
/// independently given z by a pointwise diffusion decoder ε_θ(x_t, t, z),
/// and new latents come from a prior p(z). Luo & Hu's prior is a normalising
/// flow; here it is a second diffusion model ε_ψ(z_t, t) over vectors (as in
/// LION, Zeng et al. 2022), trained jointly on the posterior samples with the
/// gradient stopped at z, so one objective and one parameter vector hold the
/// whole model:
///
///     L = L_ε(θ; X, z) + β · KL(q(z | X) ‖ N(0, I)) + L_ε(ψ; sg(z))
///
/// (or L_ε(ψ; sg(μ)) with `LatentPriorTarget.mean`).
/// L_ε is EDM's ε-loss (`EpsilonLoss`) with the same noise schedule for both
/// processes; z = μ + σ ⊙ ε_z (reparametrised). θ = [encoder | decoder | prior].
/// As in Luo & Hu, the points diffuse in full 3D (no zero-CoM projection):
/// clouds are centred once, whole, and given z every point is independent,
/// so the decoder may be trained on a random subset of each cloud.
public final class LatentPointModel: TrainingObjective {
    public let configuration: LatentPointConfiguration
    public let encoder: PointNetEncoder
    public let decoder: PointwiseDenoiser
    public let prior: PointwiseDenoiser
    /// Points: zero-CoM positions, no features. Latents: one-node graphs with Z features.
    public let pointProcess: DiffusionProcess
    public let latentProcess: DiffusionProcess
    public let encoderRange: Range<Int>, decoderRange: Range<Int>, priorRange: Range<Int>

    private var encoderWorkspace = PointNetEncoder.Workspace()
    private var pointBuffers = GradientStep.Buffers(), latentBuffers = GradientStep.Buffers()
    private var centred: [Float] = [], latentNoise: [Float] = [], latent: [Float] = []
    private var latentGradient: [Float] = [], encoderOutputGradient: [Float] = []
    private var partGradient: [Float] = [], subset: [Float] = [], order: [Int] = []
    /// Worker threads, and the models (scratch only) that run the shards of a batch.
    public let threads: Int
    private var replicas: [LatentPointModel] = []
    private var shardResults: [ShardResult] = []

    /// Clouds per shard: a batch is cut into shards of this many clouds, each
    /// with its own random stream drawn from the step's generator, so the
    /// result does not depend on `threads` (up to the order of Float sums, which is fixed).
    public static let shardSize = 16

    public convenience init(configuration: LatentPointConfiguration, schedule: any NoiseSchedule, threads: Int = 1) throws {
        precondition(threads >= 1, "threads must be at least 1 (got \(threads))")
        try configuration.validate()
        self.init(validated: configuration, schedule: schedule, threads: threads)
    }

    /// A model of a configuration already validated (the replicas that run shards).
    private init(validated configuration: LatentPointConfiguration, schedule: any NoiseSchedule, threads: Int) {
        self.threads = threads
        let z = configuration.latentWidth
        self.configuration = configuration
        encoder = PointNetEncoder(pointWidths: configuration.encoderPointWidths,
                                  headWidths: configuration.encoderHeadWidths, latentWidth: z)
        decoder = PointwiseDenoiser(rows: .positions, hidden: configuration.decoderWidths, conditionWidth: z,
                                    centresPrediction: false)
        prior = PointwiseDenoiser(rows: .features, featureWidth: z, hidden: configuration.priorWidths, conditionWidth: 0)
        pointProcess = DiffusionProcess(schedule: schedule, scaling: .identity(width: 0), symmetry: .translation,
                                        positionSubspace: .full)
        latentProcess = DiffusionProcess(schedule: schedule, scaling: .identity(width: z), symmetry: .translation)
        encoderRange = 0 ..< encoder.parameterCount
        decoderRange = encoderRange.upperBound ..< encoderRange.upperBound + decoder.parameterCount
        priorRange = decoderRange.upperBound ..< decoderRange.upperBound + prior.parameterCount
    }

    /// Where `part`'s parameters sit in the model's vector.
    public func range(of part: LatentPointPart) -> Range<Int> {
        switch part {
        case .encoder: encoderRange
        case .decoder: decoderRange
        case .prior: priorRange
        }
    }

    public var latentWidth: Int { configuration.latentWidth }
    public var parameterCount: Int { priorRange.upperBound }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        var p = [Float](repeating: 0, count: parameterCount)
        encoder.initialize(&p, at: encoderRange.lowerBound, using: &generator)
        decoder.network.initialize(&p, at: decoderRange.lowerBound, using: &generator)
        prior.network.initialize(&p, at: priorRange.lowerBound, using: &generator)
        return p
    }

    public func validate(_ batch: GraphBatch) throws {
        try batch.validate(featureWidth: 0, conditionWidth: 0)
    }

    /// The loss terms of the last `accumulate`: decoder ε-loss, KL (unweighted, mean per cloud), prior ε-loss.
    public private(set) var lastTerms = (points: 0.0, kl: 0.0, prior: 0.0)

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
    private final class ShardResult {
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
        // `priorDraws` times (its own t and ε each time; the loss is their mean).
        let draws = configuration.priorDraws
        let target = configuration.target == .sample ? latent : means(of: stats, clouds: clouds)
        let latentLayout = GraphLayout(nodeCounts: [Int](repeating: 1, count: clouds * draws))
        let latentBatch = GraphBatch(layout: latentLayout, positions: [Float](repeating: 0, count: 3 * clouds * draws),
                                     features: draws == 1 ? target : Array([[Float]](repeating: target, count: draws).joined()),
                                     weights: batch.weights.map { Array([[Float]](repeating: $0, count: draws).joined()) })
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

    /// New shapes: latents from the prior (`latentSampler`, built on
    /// `latentProcess`), then `pointCount` points per shape from the decoder
    /// (`pointSampler`, on `pointProcess`). Returns clouds `[count · pointCount, 3]`.
    public func sample<G: RandomNumberGenerator>(
        count: Int, pointCount: Int, parameters: [Float], latentSampler: any Sampler, pointSampler: any Sampler,
        using generator: inout G
    ) -> SampleResult {
        precondition(parameters.count == parameterCount, "parameters \(parameters.count), model \(parameterCount)")
        let latents = latentSampler.generate(denoiser: prior, parameters: Array(parameters[priorRange]),
                                             nodeCounts: [Int](repeating: 1, count: count), using: &generator)
        return decode(latents.features, pointCount: pointCount, parameters: parameters, pointSampler: pointSampler,
                      using: &generator)
    }

    /// Several independent batches of new shapes at once, batch k drawn with its own
    /// generator `Xoshiro256StarStar(seed: seeds[k])` on one of `threads` workers: the
    /// result does not depend on the thread count. Returns one result per batch.
    public func sample(batchSizes: [Int], seeds: [UInt64], pointCount: Int, parameters: [Float],
                       latentSampler: any Sampler, pointSampler: any Sampler) -> [SampleResult] {
        precondition(batchSizes.count == seeds.count, "\(batchSizes.count) batches, \(seeds.count) seeds")
        let slots = batchSizes.map { _ in SampleSlot() }
        onReplicas(jobs: batchSizes.count) { replica, k in
            var generator = Xoshiro256StarStar(seed: seeds[k])
            slots[k].result = replica.sample(count: batchSizes[k], pointCount: pointCount, parameters: parameters,
                                             latentSampler: latentSampler, pointSampler: pointSampler, using: &generator)
        }
        return slots.map { $0.result! }
    }

    private final class SampleSlot { var result: SampleResult? }

    /// Runs `body(replica, job)` for every job on `threads` workers (`Workers.run`), each
    /// worker with a replica of its own: a model with the same configuration whose scratch
    /// buffers it alone uses. Jobs must not depend on which replica runs them.
    private func onReplicas(jobs: Int, _ body: (LatentPointModel, Int) -> Void) {
        let workers = Workers.count(jobs: jobs, threads: threads)
        while replicas.count < workers {
            replicas.append(LatentPointModel(validated: configuration, schedule: pointProcess.schedule, threads: 1))
        }
        if workers > 1 { BLAS.useSingleThread() }
        let replicas = self.replicas
        Workers.run(jobs: jobs, threads: threads) { worker, job in body(replicas[worker], job) }
    }

    /// `pointCount` points for each latent of `latents` (`[shapes, Z]`) from the decoder
    /// (`pointSampler`, on `pointProcess`): clouds `[shapes · pointCount, 3]`.
    public func decode<G: RandomNumberGenerator>(
        _ latents: [Float], pointCount: Int, parameters: [Float], pointSampler: any Sampler, using generator: inout G
    ) -> SampleResult {
        precondition(latents.count % latentWidth == 0, "latents: \(latents.count) values are not rows of \(latentWidth)")
        return pointSampler.generate(denoiser: decoder, parameters: Array(parameters[decoderRange]),
                                     nodeCounts: [Int](repeating: pointCount, count: latents.count / latentWidth),
                                     condition: latents, using: &generator)
    }

    /// The posterior means μ of `clouds` (`[clouds · points, 3]`, centred here): `[clouds, Z]`.
    public func encode(_ positions: [Float], layout: GraphLayout, parameters: [Float]) -> [Float] {
        var centred: [Float] = [], workspace = PointNetEncoder.Workspace()
        encodeCentred(positions, layout: layout, parameters: parameters, centred: &centred, workspace: &workspace)
        return means(of: workspace.output, clouds: layout.graphCount)
    }

    /// The μ halves of the encoder's output `[clouds, 2Z]` = [μ, log σ²]: `[clouds, Z]`.
    private func means(of output: [Float], clouds: Int) -> [Float] {
        let z = latentWidth
        return (0 ..< clouds).flatMap { g in output[(g * 2 * z) ..< (g * 2 * z + z)] }
    }

    /// Centres each cloud of `positions` into `centred`, then runs the encoder on it
    /// (`workspace.output`: [μ, log σ²] per cloud, `[clouds, 2Z]`).
    private func encodeCentred(_ positions: [Float], layout: GraphLayout, parameters: [Float], centred: inout [Float],
                               workspace: inout PointNetEncoder.Workspace) {
        centred.removeAll(keepingCapacity: true)
        centred.append(contentsOf: positions)
        CenterOfMass.remove(from: &centred, layout: layout)
        encoder.forward(centred, layout: layout, parameters: parameters, at: encoderRange.lowerBound, workspace: workspace)
    }
}
