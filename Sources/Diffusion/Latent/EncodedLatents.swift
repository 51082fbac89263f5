/// Training shapes seen by a latent prior: each cloud of a data source encoded by the frozen
/// encoder into its posterior mean μ, as a one-node graph whose features are μ (`[Z]`). These are
/// the latents a prior with `LatentPriorTarget.mean` trains on (`LatentPointModel.encode`, the
/// code its prior phase runs), and the data states of step-level RGDM on the prior
/// (`StepLevelRGDM` through `LatentPriorModel`): z_t is drawn from them, and the data term is the
/// prior's ε-loss on them.
///
/// Encoded on demand, batch by batch: a PointNet pass over the batch's clouds costs little next
/// to the decoding the draws' rewards need, and the result depends only on the indices.
public struct EncodedLatents: GraphDataSource {
    /// The clouds: graphs of points, no features.
    public let clouds: any GraphDataSource
    let model: LatentPointModel
    /// θ of the whole model; only the encoder's range is read.
    let parameters: [Float]

    public var count: Int { clouds.count }

    /// The posterior means of the clouds at `indices`: `[indices.count]` one-node graphs of Z features.
    public func batch(at indices: [Int]) throws -> GraphBatch {
        let batch = try clouds.batch(at: indices)
        try batch.validate(featureWidth: 0, conditionWidth: 0)
        let n = batch.layout.graphCount
        // μ: [clouds, Z]
        let means = model.encode(batch.positions, layout: batch.layout, parameters: parameters)
        return GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: 1, count: n)),
                          positions: [Float](repeating: 0, count: 3 * n), features: means)
    }
}

extension LatentPriorModel {
    /// The latents of `clouds` under the encoder of `parameters` (θ of the whole model), as the
    /// prior's data: `EncodedLatents`. Throws `DiffusionError.invalidConfiguration` when the prior
    /// was trained on posterior samples (`LatentPriorTarget.sample`), whose data are random draws
    /// z = μ + σε rather than one latent per shape, or when `clouds` is empty.
    public func trainingLatents(of clouds: any GraphDataSource, parameters: [Float]) throws -> EncodedLatents {
        precondition(parameters.count == parameterCount, "parameters \(parameters.count), model \(parameterCount)")
        guard base.configuration.target == .mean else {
            throw DiffusionError.invalidConfiguration(
                "the prior was trained on posterior samples (prior target \(base.configuration.target.rawValue)); its data states as latents need a prior trained on posterior means (--prior-target mean)")
        }
        guard clouds.count > 0 else { throw DiffusionError.invalidConfiguration("the prior's data has no shapes") }
        return EncodedLatents(clouds: clouds, model: base, parameters: parameters)
    }
}
