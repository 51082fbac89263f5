import Foundation

extension LatentPointConfiguration: ModelConfiguration {
    public static var architecture: ModelArchitecture { .latentPoints }

    /// Latent point diffusion on `schedule` (the points carry no features, so `scaling` is unused).
    public func makeModel(schedule: any NoiseSchedule, scaling: FeatureScaling, threads: Int) throws -> any DiffusionModel {
        try LatentPointModel(configuration: self, schedule: schedule, threads: threads)
    }

    public var descriptionRows: [(String, String)] {
        func widths(_ w: [Int]) -> String { w.map(String.init).joined(separator: "–") }
        return [("architecture", "latent point diffusion (Luo & Hu)"), ("latent width", "\(latentWidth)"),
                ("encoder (PointNet)", "3–\(widths(encoderPointWidths)), max, \(widths(encoderHeadWidths + [2 * latentWidth]))"),
                ("decoder (pointwise)", "3–\(widths(decoderWidths))–3"),
                ("prior (latent diffusion)", "\(latentWidth)–\(widths(priorWidths))–\(latentWidth)"
                    + (priorConditions > 0 ? ", condition width \(priorConditions)" : "")),
                ("decoder points per step", decoderPointsPerStep.map(String.init) ?? "all"),
                ("prior draws per step", "\(priorDraws)"), ("training phase", phase.rawValue),
                ("prior target", target == .mean ? "posterior means" : "posterior samples"),
                ("KL weight", "\(klWeight)")]
    }

    public var summary: [String: Any] {
        let base: [String: Any] = ["architecture": Self.architecture.rawValue, "symmetry": Symmetry.translation.rawValue,
         "latent_width": latentWidth, "encoder_point_widths": encoderPointWidths, "encoder_head_widths": encoderHeadWidths,
         "decoder_widths": decoderWidths, "prior_widths": priorWidths, "kl_weight": klWeight,
         "decoder_points_per_step": decoderPointsPerStep.map { $0 as Any } ?? NSNull(),
         "prior_draws_per_step": priorDraws, "training_phase": phase.rawValue, "prior_target": target.rawValue]
        return priorConditions > 0 ? base.merging(["prior_condition_width": priorConditions]) { _, new in new } : base
    }

    /// The same three networks; points and draws per step, phase, prior target and β may change.
    public func continues(_ saved: LatentPointConfiguration) -> Bool { hasSameNetworks(as: saved) }

    public func settingChanges(from saved: LatentPointConfiguration) -> [String] {
        var result: [String] = []
        func note<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { result.append("\(name) \(a) → \(b)") } }
        note("decoder points per step", saved.decoderPointsPerStep.map(String.init) ?? "all", decoderPointsPerStep.map(String.init) ?? "all")
        note("prior draws per step", saved.priorDraws, priorDraws)
        note("phase", saved.phase.rawValue, phase.rawValue)
        note("prior target", saved.target.rawValue, target.rawValue)
        note("KL weight", saved.klWeight, klWeight)
        return result
    }

    /// Each of encoder, decoder and prior whose network is the same in `source`; and a prior of
    /// the same widths with fewer condition channels (an unconditional one) widened into this
    /// conditional prior, the added channels' weights zero (`ContextMLP.widen`), so that it
    /// starts out as the source's prior under any condition.
    public func transfer(from source: LatentPointConfiguration, parameters sourceParameters: [Float],
                         into parameters: inout [Float]) throws -> [String] {
        let schedule = try PolynomialSchedule(timesteps: 2)
        let mine = try LatentPointModel(configuration: self, schedule: schedule)
        let theirs = try LatentPointModel(configuration: source, schedule: schedule)
        let parts = LatentPointPart.allCases.filter { hasSame($0, as: source) }
        for part in parts {
            parameters.replaceSubrange(mine.range(of: part), with: sourceParameters[theirs.range(of: part)])
        }
        guard !parts.contains(.prior), latentWidth == source.latentWidth, priorWidths == source.priorWidths,
              source.priorConditions < priorConditions else { return parts.map(\.rawValue) }
        mine.prior.network.widen(from: theirs.prior.network, parameters: sourceParameters, at: theirs.priorRange.lowerBound,
                                 into: &parameters, at: mine.priorRange.lowerBound)
        return parts.map(\.rawValue) + ["prior (condition channels added)"]
    }
}
