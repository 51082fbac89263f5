extension Checkpoint {
    /// A weights-only checkpoint of parameters fitted without an optimiser (a closed-form fit):
    /// `parameters` as θ, no optimiser moments, no EMA, step 0. It loads like `weightsOnly()`'s
    /// files and cannot resume training.
    public static func fitted(_ parameters: [Float], modelConfiguration: String) throws -> Checkpoint {
        let state = TrainingState(
            parameters: parameters, optimizer: AdamWState(step: 0, m: [], v: [], vMax: []), ema: nil,
            clipper: try AdaptiveGradientClipper(), generator: Xoshiro256StarStar(seed: 0),
            batches: try BatchSampler(datasetSize: 1, batchSize: 1, seed: 0), history: TrainingHistory())
        return Checkpoint(modelConfiguration: modelConfiguration, trainer: TrainerConfiguration(emaDecay: 0), state: state)
    }
}
