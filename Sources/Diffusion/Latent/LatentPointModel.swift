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
public final class LatentPointModel: DiffusionModel {
    public let configuration: LatentPointConfiguration
    public let encoder: PointNetEncoder
    public let decoder: PointwiseDenoiser
    public let prior: PointwiseDenoiser
    /// Points: zero-CoM positions, no features. Latents: one-node graphs with Z features.
    public let pointProcess: DiffusionProcess
    public let latentProcess: DiffusionProcess
    public let encoderRange: Range<Int>, decoderRange: Range<Int>, priorRange: Range<Int>

    var encoderWorkspace = PointNetEncoder.Workspace()
    var pointBuffers = GradientStep.Buffers(), latentBuffers = GradientStep.Buffers()
    var centred: [Float] = [], latentNoise: [Float] = [], latent: [Float] = []
    var latentGradient: [Float] = [], encoderOutputGradient: [Float] = []
    var partGradient: [Float] = [], subset: [Float] = [], order: [Int] = []
    /// Condition dropout of a conditional prior (its early stop is not used).
    public var conditionalTraining = ConditionalTraining.none
    /// Worker threads, and the models (scratch only) that run the shards of a batch.
    public let threads: Int
    private var replicas: [LatentPointModel] = []
    var shardResults: [ShardResult] = []
    /// The loss terms of the last `accumulate`: decoder ε-loss, KL (unweighted, mean per cloud), prior ε-loss.
    var lastTerms = (points: 0.0, kl: 0.0, prior: 0.0)

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
        prior = PointwiseDenoiser(rows: .features, featureWidth: z, hidden: configuration.priorWidths,
                                  conditionWidth: configuration.priorConditions)
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
    /// Clouds carry positions only.
    public var featureWidth: Int { 0 }
    /// The prior's condition width: 0 for an unconditional model; a conditional prior draws the
    /// shape latent under a condition per shape (e.g. its class), the decoder stays unconditional.
    public var conditionWidth: Int { configuration.priorConditions }
    public var parameterCount: Int { priorRange.upperBound }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        var p = [Float](repeating: 0, count: parameterCount)
        encoder.initialize(&p, at: encoderRange.lowerBound, using: &generator)
        decoder.network.initialize(&p, at: decoderRange.lowerBound, using: &generator)
        prior.network.initialize(&p, at: priorRange.lowerBound, using: &generator)
        return p
    }

    public func validate(_ batch: GraphBatch) throws {
        try batch.validate(featureWidth: 0, conditionWidth: conditionWidth)
    }

    /// Runs `body(replica, job)` for every job on `threads` workers (`Workers.run`), each
    /// worker with a replica of its own: a model with the same configuration whose scratch
    /// buffers it alone uses. Jobs must not depend on which replica runs them.
    func onReplicas(jobs: Int, _ body: (LatentPointModel, Int) -> Void) {
        let workers = Workers.count(jobs: jobs, threads: threads)
        while replicas.count < workers {
            replicas.append(LatentPointModel(validated: configuration, schedule: pointProcess.schedule, threads: 1))
        }
        // One BLAS thread whatever the worker count: the same sums, so the same results, for any --threads.
        BLAS.useSingleThread()
        let replicas = self.replicas
        for replica in replicas { replica.conditionalTraining = conditionalTraining }
        Workers.run(jobs: jobs, threads: threads) { worker, job in body(replicas[worker], job) }
    }

    /// The posterior means μ of `clouds` (`[clouds · points, 3]`, centred here): `[clouds, Z]`.
    public func encode(_ positions: [Float], layout: GraphLayout, parameters: [Float]) -> [Float] {
        var centred: [Float] = [], workspace = PointNetEncoder.Workspace()
        encodeCentred(positions, layout: layout, parameters: parameters, centred: &centred, workspace: &workspace)
        return means(of: workspace.output, clouds: layout.graphCount)
    }

    /// The μ halves of the encoder's output `[clouds, 2Z]` = [μ, log σ²]: `[clouds, Z]`.
    func means(of output: [Float], clouds: Int) -> [Float] {
        let z = latentWidth
        return (0 ..< clouds).flatMap { g in output[(g * 2 * z) ..< (g * 2 * z + z)] }
    }

    /// Centres each cloud of `positions` into `centred`, then runs the encoder on it
    /// (`workspace.output`: [μ, log σ²] per cloud, `[clouds, 2Z]`).
    func encodeCentred(_ positions: [Float], layout: GraphLayout, parameters: [Float], centred: inout [Float],
                               workspace: inout PointNetEncoder.Workspace) {
        centred.removeAll(keepingCapacity: true)
        centred.append(contentsOf: positions)
        CenterOfMass.remove(from: &centred, layout: layout)
        encoder.forward(centred, layout: layout, parameters: parameters, at: encoderRange.lowerBound, workspace: workspace)
    }
}
