import Foundation

/// Parallelism by processes: Open Babel is not thread-safe, so a command
/// that wants both cores re-invokes the rgdm executable as workers, each on
/// one shard (`--shard i/n`: records whose 0-based index ≡ i mod n), each
/// writing line-oriented results to its own file. The same flag lets users
/// spread shards over a job scheduler.
struct Shard: Hashable, Sendable, CustomStringConvertible {
    var index: Int
    var count: Int

    static let whole = Shard(index: 0, count: 1)

    /// Parses "i/n" with 0 ≤ i < n.
    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
        index = i
        count = n
    }

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    func contains(record: Int) -> Bool { record % count == index }
    var description: String { "\(index)/\(count)" }
}

enum ShardWorkers {
    /// The running executable, for re-invocation.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Runs `rgdm <arguments> --shard i/n --worker-output <file i>` for each of
    /// `shards` (files in `directory`, or `outputs` when given; existing content
    /// is kept) and waits for them, calling `poll` with the total lines written
    /// so far. With `isolation`, a record that takes its worker down gets the
    /// line `rejection` makes and the shard goes on in a new worker (see
    /// `WorkerSupervisor`). Returns the output files, in shard order.
    static func run(arguments: [String], shards: [Shard], directory: String, outputs chosen: [String]? = nil,
                    isolation: RecordIsolation? = nil, rejection: @escaping (RecordFailure) -> String = { "E\t\($0)" },
                    poll: (Int) -> Void) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let outputs = chosen ?? shards.map { "\(directory)/shard-\($0.index)-of-\($0.count).txt" }
        let scratch = NSTemporaryDirectory() + "rgdm-workers-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try WorkerSupervisor(arguments: arguments, shards: shards, outputs: outputs, scratch: scratch,
                             isolation: isolation, rejection: rejection).run(poll: poll)
        return outputs
    }

    /// `run` over shards 0..<count of count.
    static func run(arguments: [String], count: Int, directory: String, outputs: [String]? = nil,
                    isolation: RecordIsolation? = nil, rejection: @escaping (RecordFailure) -> String = { "E\t\($0)" },
                    poll: (Int) -> Void) throws -> [String] {
        try run(arguments: arguments, shards: (0..<count).map { Shard(index: $0, count: count) }, directory: directory,
                outputs: outputs, isolation: isolation, rejection: rejection, poll: poll)
    }
}

/// Appends lines to a worker's output file, flushed as it goes.
final class LineWriter {
    private let handle: FileHandle

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw PipelineError.unsupportedOutput(path: path, reason: "cannot open for appending") }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func write(_ line: String) {
        handle.write(Data((line + "\n").utf8))
    }

    deinit { try? handle.close() }
}
