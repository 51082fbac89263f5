import ArgumentParser
import Diffusion
import PointCloud

// Every closed choice the command line takes, by its raw value ("polynomial2", "latent-points",
// "shape_bbox", …): the enums stay in their modules, the parsing lives here.

// Diffusion
extension ScheduleKind: ExpressibleByArgument {}
extension GlobalPooling: ExpressibleByArgument {}
extension LatentTrainingPhase: ExpressibleByArgument {}
extension LatentPriorTarget: ExpressibleByArgument {}
extension Checkpoint.Precision: ExpressibleByArgument {}
extension NodePooling: ExpressibleByArgument {}
extension PointPooling: ExpressibleByArgument {}

// Pipeline
extension ModelArchitecture: ExpressibleByArgument {}
extension SamplerKind: ExpressibleByArgument {}
extension FineTuneMethod: ExpressibleByArgument {}
extension DrawScoring: ExpressibleByArgument {}
extension PropertyArchitecture: ExpressibleByArgument {}
extension RewardFloor: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
/// `--reward` parses with `RewardSpecification(parsing:)` where its errors should reach the
/// user (an unknown term and the known ones); this conformance serves plain options.
extension RewardSpecification: ExpressibleByArgument {
    public init?(argument: String) {
        guard let parsed = try? RewardSpecification(parsing: argument) else { return nil }
        self = parsed
    }
}

// PointCloud
extension PointCloudNormalization: ExpressibleByArgument {}
extension CloudSubsampling: ExpressibleByArgument {}
extension ProceduralCategory: ExpressibleByArgument {}
extension ShapeFileFormat: ExpressibleByArgument {}
extension PLYFile.Encoding: ExpressibleByArgument {}

/// A timestep grid on the command line: "uniform", "log-snr" or "power:ρ".
extension TimestepGrid: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
}

/// Layer widths on the command line: "128,256,512".
struct LayerWidths: ExpressibleByArgument {
    var values: [Int]
    init(_ values: [Int]) { self.values = values }
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        values = parts.map { $0! }
    }
    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}
