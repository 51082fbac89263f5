/// EDM's model (Hoogeboom et al. 2022): one noise-prediction network on whole
/// graphs, positions and node features diffusing together. Training is EDM's
/// Algorithm 1 (`GradientStep`); sampling runs the reverse chain of
/// `SamplingSettings` on the network. `EGNNModel` is the molecules' model.
public final class GraphDiffusionModel<Network: Denoiser>: DiffusionModel {
    public let network: Network
    public let process: DiffusionProcess
    /// Condition dropout and the early stop t0 (`ConditionalTraining.none`: EDM's objective).
    public var conditionalTraining = ConditionalTraining.none
    private var buffers = GradientStep.Buffers()

    public init(network: Network, process: DiffusionProcess) throws {
        guard network.featureWidth == process.featureWidth else {
            throw DiffusionError.invalidConfiguration(
                "denoiser feature width \(network.featureWidth) ≠ feature scaling width \(process.featureWidth)")
        }
        guard network.symmetry == process.symmetry else {
            throw DiffusionError.invalidConfiguration(
                "denoiser symmetry \(network.symmetry) ≠ process symmetry \(process.symmetry)")
        }
        self.network = network
        self.process = process
    }

    public var parameterCount: Int { network.parameterCount }
    public var featureWidth: Int { network.featureWidth }
    public var conditionWidth: Int { network.conditionWidth }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        network.initialParameters(using: &generator)
    }

    public func validate(_ batch: GraphBatch) throws {
        try batch.validate(featureWidth: network.featureWidth, conditionWidth: network.conditionWidth)
    }

    public func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, gradient: inout [Float], using generator: inout G
    ) -> Double {
        var batch = batch
        conditionalTraining.dropConditions(&batch.condition, graphs: batch.layout.graphCount, using: &generator)
        return GradientStep.accumulate(denoiser: network, process: process, parameters: parameters, batch: batch,
                                       minimumTimestep: conditionalTraining.earlyStop, gradient: &gradient,
                                       buffers: &buffers, using: &generator)
    }

    /// Conditions dropped, t and ε drawn for the whole batch; the network runs on `part` alone.
    public func accumulate<G: RandomNumberGenerator>(
        parameters: [Float], batch: GraphBatch, part: Range<Int>, gradient: inout [Float], using generator: inout G
    ) -> Double {
        var batch = batch, noConditionGradient: [Float] = []
        conditionalTraining.dropConditions(&batch.condition, graphs: batch.layout.graphCount, using: &generator)
        return GradientStep.accumulate(denoiser: network, process: process, parameters: parameters, batch: batch,
                                       part: part, minimumTimestep: conditionalTraining.earlyStop, gradient: &gradient,
                                       buffers: &buffers, conditionGradient: &noConditionGradient, using: &generator)
    }

    /// Batch by batch: node counts drawn from `nodeCounts`, then the chain.
    public func sample<G: RandomNumberGenerator>(
        count: Int, batchSize: Int, nodeCounts: NodeCountDistribution, condition: [Float], parameters: [Float],
        sampling: SamplingSettings, using generator: inout G, progress: (Int) -> Void
    ) throws -> [SampleResult] {
        precondition(count >= 0 && batchSize >= 1, "count \(count), batch size \(batchSize)")
        guard !sampling.hasLatentChain else {
            throw DiffusionError.invalidConfiguration("a latent chain applies to latent-points models; this model has no latents")
        }
        try checkCondition(condition)
        let sampler = try sampling.makeSampler(process: process)
        var results: [SampleResult] = []
        var done = 0
        while done < count {
            let n = min(batchSize, count - done)
            let counts = nodeCounts.sample(n, using: &generator)
            let batchCondition = condition.isEmpty ? [] : Array([[Float]](repeating: condition, count: n).joined())
            results.append(sampler.generate(denoiser: network, parameters: parameters, nodeCounts: counts,
                                            condition: batchCondition, using: &generator))
            done += n
            progress(n)
        }
        return results
    }

    public func networkCalls(sampling: SamplingSettings) throws -> Int {
        guard !sampling.hasLatentChain else {
            throw DiffusionError.invalidConfiguration("a latent chain applies to latent-points models; this model has no latents")
        }
        return try sampling.makeSampler(process: process).timesteps.count
    }
}

/// EDM's EGNN diffusion model: molecules, or shapes on k-nearest-neighbour graphs.
public typealias EGNNModel = GraphDiffusionModel<EGNN>
