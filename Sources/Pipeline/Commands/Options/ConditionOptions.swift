import ArgumentParser

/// `rgdm sample`'s conditioning options. On a model trained with --condition: classifier-free
/// guidance toward --target (or targets drawn from the data); without them, the model's
/// unconditional part. (Gradient guidance of an unconditional model by a property model
/// shares --target and --guidance.)
struct ConditionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Target property value a, in the property's units (one per property the model is conditioned on).",
                               discussion: "Atom counts come from the training molecules whose labels lie nearest a (the 50 nearest)."))
    var target: [Double] = []
    @Option(help: ArgumentHelp("Guidance scale w: ε̂ = (1 + w)·ε̂(x, c) − w·ε̂(x, ∅) on a conditional model (default 0, plain conditional sampling).",
                               discussion: "Larger w follows the target harder and costs diversity; each step then costs two network calls."))
    var guidance: Double?
    @Flag(help: "Draw (target, atom count) pairs jointly from the training labels, as EDM's conditional evaluation does.")
    var conditionFromData = false

    func validate() throws {
        if let bad = target.first(where: { !$0.isFinite }) { throw ValidationError("--target must be a finite number, not \(bad)") }
        if let guidance, !(guidance.isFinite && guidance >= 0) { throw ValidationError("--guidance must be ≥ 0") }
        if conditionFromData && !target.isEmpty { throw ValidationError("give --target or --condition-from-data, not both") }
    }

    /// Whether any conditioning was asked for.
    var isRequested: Bool { !target.isEmpty || conditionFromData || guidance != nil }

    /// The request for `model`: nil for an unconditional model asked for nothing; a typed
    /// error for a target asked of an unconditional model.
    func sampling(for model: TrainedModel) throws -> ConditionalSampling? {
        guard model.card.condition != nil else {
            if isRequested { throw PipelineError.invalidCondition(reason: ConditionalSampling.unconditionalModel(model.source)) }
            return nil
        }
        let request: ConditionalSampling.Request = conditionFromData ? .fromData : target.isEmpty ? .unconditional : .target(target)
        return try ConditionalSampling(request: request, guidance: guidance ?? 0)
    }
}
