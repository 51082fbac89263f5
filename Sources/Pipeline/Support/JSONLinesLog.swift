import Foundation

/// An append-only JSON-lines log (one JSON object a line), flushed after
/// every record so a killed run loses at most the line being written.
public final class JSONLinesLog {
    private let handle: FileHandle?
    public let url: URL

    /// Opens `url` for appending, creating it (and its folder) if needed.
    public init(url: URL) throws {
        self.url = url
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !manager.fileExists(atPath: url.path) {
            _ = manager.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        self.handle = handle
    }

    /// A log that writes nothing, named `url`: the ranks other than 0 of a data-parallel run,
    /// whose lines rank 0 writes.
    public init(discardingAs url: URL) {
        self.url = url
        handle = nil
    }

    deinit { try? handle?.close() }

    /// Appends one record; keys are written in sorted order.
    public func append(_ record: [String: Any]) throws {
        guard let handle else { return }
        let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        try handle.write(contentsOf: data + Data("\n".utf8))
    }
}
