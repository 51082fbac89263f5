import Foundation

/// One run of an external program (xTB, a reward command): an argument vector, never a
/// shell string; standard input from a file and standard output and error to files, so
/// no pipe can fill up and stall either side; a time limit after which the program and
/// everything it started (its process group: Foundation starts each child in its own)
/// is killed, as it is when a memory limit is given and the program's resident memory
/// passes it.
struct ExternalProgram: Sendable {
    /// The executable's path.
    let path: String

    /// How a run ended.
    enum Ending: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        /// Its resident memory passed the limit, in bytes.
        case exceededMemory(Int)
    }

    /// The program named `name`: a path (containing "/") as it is, otherwise the first
    /// executable of that name on PATH. Throws `.unavailable` naming what is missing.
    init(_ name: String) throws(RewardFailure) {
        if name.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: name) else {
                throw .unavailable(program: name, reason: FileManager.default.fileExists(atPath: name)
                                   ? "not executable" : "no such file")
            }
            path = name
            return
        }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        guard let found = directories.map({ "\($0)/\(name)" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw .unavailable(program: name, reason: "not found on PATH")
        }
        path = found
    }

    var name: String { URL(fileURLWithPath: path).lastPathComponent }

    /// Runs the program with `arguments` in `directory`, extra `environment` variables on
    /// top of this process's, standard input from `input` (or nothing) and output to
    /// `output` and `error`; waits at most `timeout` seconds, and with a `memoryLimit` (bytes)
    /// checks the program's resident memory every 50 ms.
    func run(_ arguments: [String], directory: String? = nil, environment: [String: String] = [:],
             input: String? = nil, output: String, error: String, timeout: Double,
             memoryLimit: Int? = nil) throws(RewardFailure) -> Ending {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handles: (FileHandle, FileHandle, FileHandle?)
        do {
            handles = (try Self.create(output), try Self.create(error), try input.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) })
        } catch {
            throw .failed("\(name): cannot set up its files: \(error)")
        }
        defer { for handle in [handles.0, handles.1, handles.2].compactMap({ $0 }) { try? handle.close() } }
        process.standardOutput = handles.0
        process.standardError = handles.1
        process.standardInput = handles.2 ?? FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw .unavailable(program: name, reason: "\(error)")
        }
        let deadline = DispatchTime.now() + timeout
        func stop(_ ending: Ending) -> Ending {
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            return ending
        }
        if let memoryLimit {
            while finished.wait(timeout: min(deadline, .now() + 0.05)) == .timedOut {
                if DispatchTime.now() >= deadline { return stop(.timedOut) }
                if let resident = Self.residentBytes(of: process.processIdentifier), resident > memoryLimit {
                    return stop(.exceededMemory(memoryLimit))
                }
            }
        } else if finished.wait(timeout: deadline) == .timedOut {
            return stop(.timedOut)
        }
        return process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
    }

    /// The resident memory of process `pid` in bytes (`/proc/PID/statm`'s second field, in
    /// pages), or nil when it cannot be read (the process is gone).
    static func residentBytes(of pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }

    private static func create(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    /// The last non-empty line of the file at `path`, at most `limit` characters (for messages).
    static func lastLine(of path: String, limit: Int = 200) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        guard let line = text.split(whereSeparator: \.isNewline).last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return nil
        }
        return String(line.prefix(limit))
    }
}

/// A scratch directory removed when the work in it is done.
enum ScratchDirectory {
    static func with<T>(prefix: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }
}
