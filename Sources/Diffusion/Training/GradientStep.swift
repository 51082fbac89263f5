/// One stochastic gradient of the training objective, as a pure function of
/// (parameters, batch, generator state) → (loss, gradient): no optimiser, no
/// hidden state, so data-parallel training can all-reduce its results.
///
/// For each graph: t ~ U{0, …, T} (EDM trains with t = 0 included),
/// ε ~ N(0, I) (zero-CoM positions), z_t = α_t x + σ_t ε (EDM Algorithm 1),
/// then the weighted ε-loss of `EpsilonLoss` and its gradient through the
/// denoiser.
public enum GradientStep {
    /// Adds ∂L/∂θ into `gradient` (`[parameterCount]`) and returns L.
    public static func accumulate<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, process: DiffusionProcess, parameters: [Float], batch: GraphBatch,
        gradient: inout [Float], using generator: inout G
    ) -> Double {
        precondition(parameters.count == denoiser.parameterCount && gradient.count == denoiser.parameterCount,
                     "parameters \(parameters.count), gradient \(gradient.count), model \(denoiser.parameterCount)")
        let layout = batch.layout
        let x = process.prepare(positions: batch.positions, features: batch.features, layout: layout)
        let timesteps = (0 ..< layout.graphCount).map { _ in
            Int(generator.next(upperBound: UInt64(process.timesteps + 1)))
        }
        let noise = process.sampleNoise(layout: layout, using: &generator)
        let z = process.diffuse(x, noise: noise, timesteps: timesteps, layout: layout)
        let input = DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                  time: process.normalizedTime(timesteps), condition: batch.condition)
        let weights = batch.weights
        return denoiser.lossAndGradient(input, parameters: parameters, gradient: &gradient) { prediction in
            EpsilonLoss.evaluate(prediction: prediction, target: noise, layout: layout, weights: weights)
        }
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
