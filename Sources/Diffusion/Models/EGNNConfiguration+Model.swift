import Foundation

extension EGNNConfiguration: ModelConfiguration {
    public static var architecture: ModelArchitecture { .egnn }

    /// EDM's model: this EGNN on the graphs' positions and scaled features.
    public func makeModel(schedule: any NoiseSchedule, scaling: FeatureScaling, threads: Int) throws -> any DiffusionModel {
        try EGNNModel(network: EGNN(self, threads: threads),
                      process: DiffusionProcess(schedule: schedule, scaling: scaling, symmetry: symmetry))
    }

    public var descriptionRows: [(String, String)] {
        [("architecture", "EGNN (EDM)"), ("layers × hidden", "\(layers) × \(hidden)"),
         ("symmetry / connectivity", "\(symmetry.rawValue) / \(connectivity)"),
         ("global pooling", globalPooling.rawValue)]
    }

    public var summary: [String: Any] {
        ["architecture": Self.architecture.rawValue, "symmetry": symmetry.rawValue, "layers": layers, "hidden": hidden,
         "feature_width": featureWidth, "condition_width": conditionWidth, "global_pooling": globalPooling.rawValue,
         "connectivity": connectivity.description, "neighbours": connectivity.neighbours.map { $0 as Any } ?? NSNull()]
    }

    /// The same network only: an EGNN's weights have no training settings beside them.
    public func continues(_ saved: EGNNConfiguration) -> Bool { self == saved }

    /// The whole network when `source` is this configuration; else, when this one has
    /// at least as many layers, units and condition channels, `source`'s network grown into it
    /// (`EGNN.grown(from:parameters:initial:)`), which starts out computing what it did.
    public func transfer(from source: EGNNConfiguration, parameters sourceParameters: [Float],
                         into parameters: inout [Float]) throws -> [String] {
        if source == self {
            precondition(sourceParameters.count == parameters.count, "\(sourceParameters.count) weights for \(parameters.count)")
            parameters = sourceParameters
            return ["network"]
        }
        guard source.grows(into: self) else { return [] }
        parameters = try EGNN(self).grown(from: source, parameters: sourceParameters, initial: parameters)
        var parts: [String] = []
        if source.layers != layers || source.hidden != hidden { parts.append("grown from \(source.layers) × \(source.hidden)") }
        if source.conditionWidth != conditionWidth {
            parts.append("condition inputs \(source.conditionWidth) → \(conditionWidth) (new ones zero)")
        }
        return ["network, " + parts.joined(separator: ", ")]
    }
}
