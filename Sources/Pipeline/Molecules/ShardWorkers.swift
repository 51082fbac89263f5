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

    /// Runs `count` workers `rgdm <arguments> --shard i/count --worker-output <file i>`
    /// (files in `directory`, or `outputs` when given; existing content is kept)
    /// and waits for them, calling `poll` with the total lines written so far
    /// about twice a second. Returns the output files, in shard order.
    static func run(arguments: [String], count: Int, directory: String, outputs chosen: [String]? = nil,
                    poll: (Int) -> Void) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var processes: [Process] = []
        var outputs: [String] = []
        for i in 0..<count {
            let output = chosen?[i] ?? "\(directory)/shard-\(i)-of-\(count).txt"
            if !FileManager.default.fileExists(atPath: output) { _ = FileManager.default.createFile(atPath: output, contents: nil) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments + ["--shard", "\(i)/\(count)", "--worker-output", output]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append(process)
            outputs.append(output)
        }
        var counted = [Int](repeating: 0, count: count)
        var offsets = [UInt64](repeating: 0, count: count)
        var forwarded = false
        while processes.contains(where: \.isRunning) {
            Thread.sleep(forTimeInterval: 0.5)
            if Interruption.requested && !forwarded {
                // Ctrl-C reaches the whole process group; a signal sent to this process alone is passed on.
                forwarded = true
                for process in processes where process.isRunning { process.interrupt() }
            }
            for i in 0..<count { (counted[i], offsets[i]) = countNewLines(outputs[i], from: offsets[i], counted: counted[i]) }
            poll(counted.reduce(0, +))
        }
        if Interruption.requested {
            throw PipelineError.invalidRun(path: directory, reason: "interrupted; run the same command again to resume")
        }
        for (i, process) in processes.enumerated() where process.terminationStatus != 0 {
            throw PipelineError.invalidRun(path: outputs[i], reason: "worker \(i)/\(count) exited with status \(process.terminationStatus)")
        }
        return outputs
    }

    private static func countNewLines(_ path: String, from offset: UInt64, counted: Int) -> (Int, UInt64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return (counted, offset) }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.readToEnd()) ?? Data()
        return (counted + data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }, offset + UInt64(data.count))
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
