import Foundation

/// Any architecture's configuration, as a model card stores it: Codable as
/// `{"architecture": "egnn", "configuration": {…}}`, equal when both the
/// architecture and the configuration are.
public struct AnyModelConfiguration: Codable, Sendable, Equatable {
    public let base: any ModelConfiguration

    public init(_ base: some ModelConfiguration) { self.base = base }

    public var architecture: ModelArchitecture { type(of: base).architecture }

    /// The configuration as `type`, or nil for another architecture.
    public func `as`<C: ModelConfiguration>(_ type: C.Type) -> C? { base as? C }

    public func makeModel(schedule: any NoiseSchedule, scaling: FeatureScaling, threads: Int) throws -> any DiffusionModel {
        try base.makeModel(schedule: schedule, scaling: scaling, threads: threads)
    }

    public var descriptionRows: [(String, String)] { base.descriptionRows }
    public var summary: [String: Any] { base.summary }

    /// Whether a run saved with `saved` continues as this configuration (same architecture and networks).
    public func continues(_ saved: AnyModelConfiguration) -> Bool {
        func open<C: ModelConfiguration>(_ mine: C) -> Bool { saved.as(C.self).map(mine.continues) ?? false }
        return open(base)
    }

    /// Changed training settings with respect to `saved` (none across architectures).
    public func settingChanges(from saved: AnyModelConfiguration) -> [String] {
        func open<C: ModelConfiguration>(_ mine: C) -> [String] { saved.as(C.self).map(mine.settingChanges) ?? [] }
        return open(base)
    }

    /// Weights of `source`'s networks that this model has too (none across architectures).
    public func transfer(from source: AnyModelConfiguration, parameters sourceParameters: [Float],
                         into parameters: inout [Float]) throws -> [String] {
        func open<C: ModelConfiguration>(_ mine: C) throws -> [String] {
            guard let theirs = source.as(C.self) else { return [] }
            return try mine.transfer(from: theirs, parameters: sourceParameters, into: &parameters)
        }
        return try open(base)
    }

    public static func == (a: AnyModelConfiguration, b: AnyModelConfiguration) -> Bool {
        func open<C: ModelConfiguration>(_ x: C) -> Bool { b.as(C.self) == x }
        return open(a.base)
    }

    private enum CodingKeys: String, CodingKey { case architecture, configuration }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let architecture = try container.decode(ModelArchitecture.self, forKey: .architecture)
        func decode<C: ModelConfiguration>(_ type: C.Type) throws -> any ModelConfiguration {
            try container.decode(C.self, forKey: .configuration)
        }
        base = try decode(architecture.configurationType)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(base, forKey: .configuration)
    }
}
