/// One stochastic gradient of the training objective, as a pure function of
/// (parameters, batch, generator state) → (loss, gradient): no optimiser, no
/// hidden state, so data-parallel training can all-reduce its results.
///
/// For each graph: t ~ U{0, …, T} (EDM trains with t = 0 included; from t0
/// with an early stop),
/// ε ~ N(0, I) (zero-CoM positions), z_t = α_t x + σ_t ε (EDM Algorithm 1),
/// then the weighted ε-loss of `EpsilonLoss` and its gradient through the
/// denoiser.
public enum GradientStep {
    /// The step's intermediate arrays, kept by a training loop so that a
    /// steady loop allocates nothing. Contents never carry over between
    /// steps: the result depends only on (parameters, batch, generator).
    public struct Buffers {
        /// x (data in diffusion space), ε, z_t: `[N, 3]` and `[N, F]` each.
        var x = GraphTensors(), noise = GraphTensors(), z = GraphTensors()
        /// t per graph and t / T: `[B]`.
        var timesteps: [Int] = [], time: [Float] = []

        public init() {}
    }

    /// Adds ∂L/∂θ into `gradient` (`[parameterCount]`) and returns L.
    public static func accumulate<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, process: DiffusionProcess, parameters: [Float], batch: GraphBatch,
        gradient: inout [Float], using generator: inout G
    ) -> Double {
        var buffers = Buffers()
        return accumulate(denoiser: denoiser, process: process, parameters: parameters, batch: batch,
                          gradient: &gradient, buffers: &buffers, using: &generator)
    }

    /// As `accumulate(denoiser:process:parameters:batch:gradient:using:)`, with
    /// the intermediate arrays in `buffers` (same draws, same result); t from
    /// `minimumTimestep` (the early stop t0 of `ConditionalTraining`) up.
    public static func accumulate<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, process: DiffusionProcess, parameters: [Float], batch: GraphBatch, minimumTimestep: Int = 0,
        gradient: inout [Float], buffers: inout Buffers, using generator: inout G
    ) -> Double {
        var noConditionGradient: [Float] = []
        return accumulate(denoiser: denoiser, process: process, parameters: parameters, batch: batch,
                          minimumTimestep: minimumTimestep, gradient: &gradient, buffers: &buffers,
                          conditionGradient: &noConditionGradient, using: &generator)
    }

    /// As `accumulate(denoiser:process:parameters:batch:gradient:buffers:using:)`,
    /// and adding ∂L/∂c into `conditionGradient` (`[graphs, conditionWidth]`, or
    /// empty to leave it out); t ~ U{t0, …, T} with t0 = `minimumTimestep`.
    ///
    /// With `part` (a data-parallel rank's share of a global batch), t and ε are drawn for
    /// every graph of `batch`, so the generator moves as for the whole batch, and the loss and
    /// gradient are those of the graphs in `part` alone (their mean; `conditionGradient` then
    /// `[part.count, conditionWidth]`): the parts' results weighted by their share of the
    /// batch sum to the whole batch's.
    public static func accumulate<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, process: DiffusionProcess, parameters: [Float], batch: GraphBatch, part: Range<Int>? = nil,
        minimumTimestep: Int = 0, gradient: inout [Float], buffers: inout Buffers, conditionGradient: inout [Float],
        using generator: inout G
    ) -> Double {
        precondition(parameters.count == denoiser.parameterCount && gradient.count == denoiser.parameterCount,
                     "parameters \(parameters.count), gradient \(gradient.count), model \(denoiser.parameterCount)")
        precondition((0 ... process.timesteps).contains(minimumTimestep),
                     "minimum timestep \(minimumTimestep) outside 0 … \(process.timesteps)")
        let whole = 0 ..< batch.layout.graphCount, wholeLayout = batch.layout
        let part = part ?? whole
        precondition(part.clamped(to: whole) == part, "part \(part) outside the \(whole.count) graphs of the batch")
        let batch = part == whole ? batch : batch.slice(graphs: part)
        let layout = batch.layout
        process.prepare(positions: batch.positions, features: batch.features, layout: layout, into: &buffers.x)
        buffers.timesteps.removeAll(keepingCapacity: true)
        for _ in whole {
            buffers.timesteps.append(minimumTimestep
                + Int(generator.next(upperBound: UInt64(process.timesteps + 1 - minimumTimestep))))
        }
        process.sampleNoise(layout: wholeLayout, into: &buffers.noise, using: &generator)
        if part != whole { keep(part, of: wholeLayout, in: &buffers) }
        process.diffuse(buffers.x, noise: buffers.noise, timesteps: buffers.timesteps, layout: layout, into: &buffers.z)
        process.normalizedTime(buffers.timesteps, into: &buffers.time)
        // The input shares the buffers' storage (no copy); it dies before they are written again.
        let input = DenoiserInput(layout: layout, positions: buffers.z.positions, features: buffers.z.features,
                                  time: buffers.time, condition: batch.condition)
        let noise = buffers.noise, weights = batch.weights
        return denoiser.lossAndGradient(input, parameters: parameters, gradient: &gradient,
                                        conditionGradient: &conditionGradient) { prediction, dPrediction in
            EpsilonLoss.evaluate(prediction: prediction, target: noise, layout: layout, weights: weights,
                                 gradient: &dPrediction)
        }
    }

    /// Drops t and ε of the graphs outside `part` (ε: `[nodes of part, 3]`, `[nodes of part, F]`).
    private static func keep(_ part: Range<Int>, of layout: GraphLayout, in buffers: inout Buffers) {
        buffers.timesteps.removeSubrange(part.upperBound...)
        buffers.timesteps.removeSubrange(..<part.lowerBound)
        let nodes = layout.nodeOffsets[part.lowerBound] ..< layout.nodeOffsets[part.upperBound]
        let width = layout.nodeCount == 0 ? 0 : buffers.noise.features.count / layout.nodeCount
        buffers.noise.positions.removeSubrange((3 * nodes.upperBound)...)
        buffers.noise.positions.removeSubrange(..<(3 * nodes.lowerBound))
        buffers.noise.features.removeSubrange((width * nodes.upperBound)...)
        buffers.noise.features.removeSubrange(..<(width * nodes.lowerBound))
    }

    /// (L, ∂L/∂θ) with a fresh zero gradient.
    public static func compute<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, process: DiffusionProcess, parameters: [Float], batch: GraphBatch,
        using generator: inout G
    ) -> (loss: Double, gradient: [Float]) {
        var gradient = [Float](repeating: 0, count: denoiser.parameterCount)
        let loss = accumulate(denoiser: denoiser, process: process, parameters: parameters, batch: batch,
                              gradient: &gradient, using: &generator)
        return (loss, gradient)
    }
}
