import Foundation
import PointCloud

/// The `command` reward on shapes: as `CommandReward` (same program handling, time limit and
/// answers, one number per line), with the batch as JSON lines `{"index": i, "points": [[x, y, z], …]}`
/// on standard input; an argument `{h5}` becomes an HDF5 file of the batch in the rgdm layout
/// (`points` [B, N, 3], when every cloud has the same size).
public struct ShapeCommandReward: Reward {
    /// The program, its arguments and time limit, as for molecules.
    public let command: CommandReward

    /// Throws `PipelineError.invalidReward` when `program` cannot be found.
    public init(program: String, arguments: [String] = [], timeout: Double = 600) throws {
        command = try CommandReward(program: program, arguments: arguments, timeout: timeout)
    }

    public var name: String { command.name }
    public var dependsOnGraphOnly: Bool { false }

    /// The JSON line of cloud `index`.
    static func line(index: Int, cloud: PointCloud) -> String {
        let points = cloud.positions.map { "[\($0.x),\($0.y),\($0.z)]" }.joined(separator: ",")
        return "{\"index\":\(index),\"points\":[\(points)]}"
    }

    public func score(_ clouds: [PointCloud]) -> [RewardOutcome] {
        CommandReward.run(command.program, arguments: command.arguments, timeout: command.timeout, count: clouds.count,
                          lines: { clouds.enumerated().map { Self.line(index: $0, cloud: $1) } },
                          files: { directory, arguments in
                              guard arguments.contains(where: { $0.contains("{h5}") }) else { return arguments }
                              let file = directory + "/clouds.h5"
                              try PointCloudHDF5.write(clouds, to: file)
                              return arguments.map { $0.replacingOccurrences(of: "{h5}", with: file) }
                          })
    }
}
