/// What every gradient-guidance term shares (`PropertyGuidance`, `LogProbabilityGuidance`): the
/// checks of the weight w and the cap, σ_t·w·∂L/∂z with the centre of mass removed when the
/// process projects it, each graph's cap, and adding the term to ε̂.
enum GuidanceTerm {
    /// Throws `DiffusionError.invalidConfiguration` for w < 0 or a cap that is not > 0.
    static func validate(weight: Double, maximumRMS: Double?) throws {
        guard weight.isFinite, weight >= 0 else {
            throw DiffusionError.invalidConfiguration("the guidance weight must be finite and ≥ 0, got \(weight)")
        }
        if let maximumRMS, !(maximumRMS.isFinite && maximumRMS > 0) {
            throw DiffusionError.invalidConfiguration("the guidance cap must be finite and > 0, got \(maximumRMS)")
        }
    }

    /// ∂L/∂z (`gradient`, positions `[N, 3]`, features `[N, F]`) into the term σ_t w ∂L/∂z.
    static func finish(_ gradient: inout GraphTensors, weight: Double, maximumRMS: Double?, timestep: Int,
                       layout: GraphLayout, process: DiffusionProcess) {
        if process.projectsCenterOfMass { CenterOfMass.remove(from: &gradient.positions, layout: layout) }
        let scale = Float(process.schedule.sigma(at: timestep) * weight)
        for k in gradient.positions.indices { gradient.positions[k] *= scale }
        for k in gradient.features.indices { gradient.features[k] *= scale }
        if let maximumRMS { cap(&gradient, layout: layout, rms: maximumRMS) }
    }

    /// Scales each graph's rows of `term` so that their root mean square is at most `rms`.
    static func cap(_ term: inout GraphTensors, layout: GraphLayout, rms: Double) {
        let f = layout.nodeCount == 0 ? 0 : term.features.count / layout.nodeCount
        for g in 0 ..< layout.graphCount {
            let nodes = layout.nodes(ofGraph: g)
            let x = 3 * nodes.lowerBound ..< 3 * nodes.upperBound, h = f * nodes.lowerBound ..< f * nodes.upperBound
            let squares = term.positions[x].reduce(0.0) { $0 + Double($1) * Double($1) }
                + term.features[h].reduce(0.0) { $0 + Double($1) * Double($1) }
            let current = (squares / Double(max(x.count + h.count, 1))).squareRoot()
            guard current > rms else { continue }
            let factor = Float(rms / current)
            for k in x { term.positions[k] *= factor }
            for k in h { term.features[k] *= factor }
        }
    }

    /// ε̂ += term.
    static func add(_ term: GraphTensors, to prediction: inout DenoiserOutput) {
        precondition(term.positions.count == prediction.positions.count && term.features.count == prediction.features.count,
                     "guidance term \(term.positions.count)/\(term.features.count) vs ε̂ \(prediction.positions.count)/\(prediction.features.count)")
        for k in term.positions.indices { prediction.positions[k] += term.positions[k] }
        for k in term.features.indices { prediction.features[k] += term.features[k] }
    }
}
