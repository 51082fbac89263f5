import Diffusion

extension SampleCommand {
    /// A class-conditional shape model's samples: every shape's latent drawn under --class (or
    /// under ∅ without it: the model's unconditional part), with classifier-free guidance of
    /// scale --guidance (default 0, plain conditional sampling).
    func sampleClassConditioned<G: RandomNumberGenerator>(
        _ model: TrainedModel, classes: ClassConditionCard, settings: SamplingSettings, using generator: inout G,
        progress: (Int) -> Void
    ) throws -> [SampleResult] {
        guard condition.target.isEmpty, !condition.conditionFromData, reward.reward == nil, reconstruct == nil else {
            throw PipelineError.invalidCondition(
                reason: "\(self.model) is conditioned on a class: ask for one with --class (and --guidance), not --target, --condition-from-data, --reward or --reconstruct")
        }
        guard let conditional = model.model as? any ConditionalDiffusionModel else {
            throw PipelineError.invalidModel(path: self.model, reason: "its card names classes but its model takes no condition")
        }
        let row = try sampleClass.map { try classes.encode($0) } ?? classes.null
        let points = model.card.nodeCounts.counts.last ?? 0
        return try conditional.sample(nodeCounts: [Int](repeating: points, count: count),
                                      conditions: Array([[Float]](repeating: row, count: count).joined()),
                                      guidance: condition.guidance ?? 0, batchSize: batch, parameters: model.parameters,
                                      sampling: settings, using: &generator, progress: progress)
    }
}
