import Foundation

/// What a run writes next to its outputs so that any result can be
/// reproduced: the full argument list (after config-file expansion), the
/// code version and the time. Written atomically as `<directory>/run.json`.
public struct RunRecord: Codable, Sendable {
    public var command: String
    public var arguments: [String]
    public var version: String
    public var started: Date
    public var host: String

    public init(command: String, arguments: [String] = CommandLine.arguments) {
        self.command = command
        self.arguments = arguments
        self.version = RGDMVersion.string
        self.started = Date()
        self.host = ProcessInfo.processInfo.hostName
    }

    /// Writes `run.json` into `directory` (created if missing).
    public func write(into directory: URL, name: String = "run.json") throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: directory.appendingPathComponent(name), options: .atomic)
    }
}
