/// Predictor–corrector sampling (Song et al., "Score-Based Generative Modeling
/// through Stochastic Differential Equations", ICLR 2021, §4.2 and Algorithm 5)
/// with EDM's ancestral step as the predictor and `LangevinCorrector`'s moves
/// as the corrector: at each of the corrector's levels t, `corrector.steps`
/// moves at t, each after its own denoiser call, then the predictor's step
/// from t.
///
/// `timesteps` is the predictor's with each corrected level repeated
/// (`[.., t, t, t − 1, t − 1, …, 0]`): a step whose next timestep is its own
/// is a corrector move; every other step is the predictor's. Each step draws
/// its ε (or ξ) the same way, so the draws follow `timesteps` one for one.
public struct PredictorCorrectorSampler: Sampler {
    public let predictor: AncestralSampler
    public let corrector: LangevinCorrector
    public let timesteps: [Int]

    public var process: DiffusionProcess { predictor.process }

    public init(predictor: AncestralSampler, corrector: LangevinCorrector) {
        self.predictor = predictor
        self.corrector = corrector
        self.timesteps = corrector.interleaved(into: predictor.timesteps)
    }

    /// One move or predictor step with its noise drawn into `state.noise`.
    public func step<G: RandomNumberGenerator>(
        _ z: inout GraphTensors, prediction: DenoiserOutput, index: Int,
        layout: GraphLayout, state: inout SamplerState, using generator: inout G
    ) {
        checkStep(z, prediction: prediction, index: index)
        let t = timesteps[index]
        process.sampleNoise(layout: layout, into: &state.noise, using: &generator)
        let next = index == timesteps.count - 1 ? nil : timesteps[index + 1]
        if next == t {
            corrector.move(&z, prediction: prediction, sigma: schedule.sigma(at: t), noise: state.noise)
            if process.projectsCenterOfMass { CenterOfMass.remove(from: &z.positions, layout: layout) }
        } else {
            predictor.step(&z, prediction: prediction, from: t, to: next, noise: state.noise, layout: layout)
        }
    }
}
