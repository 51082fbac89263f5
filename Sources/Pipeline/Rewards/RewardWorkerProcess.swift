import Foundation

/// One persistent worker process with a pipe each way: requests are written to its
/// standard input, its answers read line by line from its standard output by a thread of
/// its own, so the parent can wait for the next answer with a time limit.
final class RewardWorkerProcess: @unchecked Sendable {
    /// What waiting for the next answer gave.
    enum Event: Equatable {
        case line(String)
        case end
        case timedOut
    }

    private let process = Process()
    private let input: FileHandle
    private let condition = NSCondition()
    private var lines: [String] = []
    private var ended = false

    /// Starts `executable arguments…`. Throws `.unavailable` when it cannot start.
    init(executable: String, arguments: [String]) throws(RewardFailure) {
        RewardWorkerProcess.ignoreBrokenPipes
        let requests = Pipe(), answers = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = requests
        process.standardOutput = answers
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .unavailable(program: URL(fileURLWithPath: executable).lastPathComponent, reason: "\(error)")
        }
        input = requests.fileHandleForWriting
        let output = answers.fileHandleForReading
        let thread = Thread { [self] in read(output) }
        thread.start()
    }

    deinit { stop() }

    /// Writes request lines; false once the worker no longer reads (it died or was stopped).
    @discardableResult
    func send(_ lines: [String]) -> Bool {
        do {
            for line in lines { try input.write(contentsOf: Data((line + "\n").utf8)) }
            return true
        } catch {
            return false
        }
    }

    /// The next answer line, the end of the worker's output, or nothing within `timeout` seconds.
    func next(timeout: Double) -> Event {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while lines.isEmpty && !ended {
            if !condition.wait(until: deadline) { return lines.isEmpty && !ended ? .timedOut : next() }
        }
        return next()
    }

    /// Call with the condition locked.
    private func next() -> Event {
        lines.isEmpty ? .end : .line(lines.removeFirst())
    }

    /// How the process ended (for messages), once it has ended or been stopped.
    var ending: String {
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? "killed by signal \(process.terminationStatus)"
            : "exited with status \(process.terminationStatus)"
    }

    /// Kills the worker (and anything it started) and reaps it.
    func stop() {
        try? input.close()
        guard process.isRunning else { return }
        kill(-process.processIdentifier, SIGKILL)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func read(_ output: FileHandle) {
        var pending = Data()
        while true {
            let chunk = output.availableData
            condition.lock()
            if chunk.isEmpty {
                ended = true
                condition.broadcast()
                condition.unlock()
                return
            }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// A worker that dies while requests are being written must not take the parent with it
    /// (SIGPIPE's default action); the write fails instead.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()
}
