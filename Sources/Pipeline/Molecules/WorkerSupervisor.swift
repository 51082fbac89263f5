import Foundation

/// Runs one worker process per shard (`rgdm … --shard i/n --worker-output
/// FILE`) and keeps the job going when a record takes its worker down.
///
/// With `isolation`, each worker also gets a heartbeat file and its limits
/// (`RecordWatchdog`). When a worker dies — a signal (Open Babel crashing), its
/// record timeout (SIGALRM), an allocation over its memory cap — the
/// supervisor reads which record it was on, appends the job's rejection line
/// for that record to the worker's output, and starts a new worker for the
/// same shard from the next record (`--start-at`). A record in a format rgdm
/// cannot step over without parsing (those Open Babel streams itself) ends
/// the job with an error naming the file and record. A worker that fails
/// outside any record ends the job with its own last message.
struct WorkerSupervisor {
    var arguments: [String]
    var shards: [Shard]
    /// One output file per shard; existing content is kept.
    var outputs: [String]
    /// Where the workers' heartbeat and error-output files go.
    var scratch: String
    var isolation: RecordIsolation?
    /// The line a job's output takes for a record that took its worker down.
    var rejection: (RecordFailure) -> String

    /// One shard's worker and where it has got to.
    private final class Slot {
        let shard: Shard
        let output: String
        let heartbeat: String
        let errors: String
        var process: Process?
        var startAt = 0
        var finished = false
        var lines = 0
        var offset: UInt64 = 0

        init(shard: Shard, output: String, scratch: String) {
            self.shard = shard
            self.output = output
            heartbeat = "\(scratch)/worker-\(shard.index)-of-\(shard.count).heartbeat"
            errors = "\(scratch)/worker-\(shard.index)-of-\(shard.count).stderr"
        }
    }

    /// Runs the workers to the end, calling `poll` with the lines written so far about five times a second.
    func run(poll: (Int) -> Void) throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let slots = zip(shards, outputs).map { Slot(shard: $0, output: $1, scratch: scratch) }
        do {
            try supervise(slots, poll: poll)
        } catch {
            // The job ends: stop the workers still running (SIGKILL: one may be stuck inside Open Babel).
            for slot in slots {
                guard let process = slot.process, process.isRunning else { continue }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            throw error
        }
        if Interruption.requested {
            throw PipelineError.invalidRun(path: scratch, reason: "interrupted; run the same command again to resume")
        }
    }

    private func supervise(_ slots: [Slot], poll: (Int) -> Void) throws {
        for slot in slots {
            if !FileManager.default.fileExists(atPath: slot.output) { _ = FileManager.default.createFile(atPath: slot.output, contents: nil) }
            try start(slot)
        }
        var forwarded = false
        while slots.contains(where: { !$0.finished }) {
            Thread.sleep(forTimeInterval: 0.2)
            if Interruption.requested && !forwarded {
                // Ctrl-C reaches the whole process group; a signal sent to this process alone is passed on.
                forwarded = true
                for slot in slots where slot.process?.isRunning == true { slot.process?.interrupt() }
            }
            for slot in slots where !slot.finished && slot.process?.isRunning == false { try settle(slot) }
            for slot in slots { Self.countNewLines(slot) }
            poll(slots.reduce(0) { $0 + $1.lines })
        }
    }

    private func start(_ slot: Slot) throws {
        try? FileManager.default.removeItem(atPath: slot.heartbeat)
        _ = FileManager.default.createFile(atPath: slot.errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ShardWorkers.executable)
        var arguments = self.arguments + ["--shard", slot.shard.description, "--worker-output", slot.output]
        if let isolation {
            arguments += ["--heartbeat", slot.heartbeat] + isolation.arguments
            if slot.startAt > 0 { arguments += ["--start-at", String(slot.startAt)] }
        }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"  // a crash is expected and reported; skip the backtracer
        environment[RecordWatchdog.supervisorVariable] = String(getpid())
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: slot.errors) ?? FileHandle.nullDevice
        try process.run()
        slot.process = process
    }

    /// Handles a worker that has ended: done, interrupted, or dead on a record.
    private func settle(_ slot: Slot) throws {
        guard let process = slot.process else { return }
        let signaled = process.terminationReason == .uncaughtSignal
        if (!signaled && process.terminationStatus == 0) || Interruption.requested {
            slot.finished = true
            return
        }
        let errorOutput = Self.tail(slot.errors)
        guard let isolation, let (position, skippable) = WorkerHeartbeat.record(in: slot.heartbeat), position.index >= slot.startAt else {
            let how = signaled ? "was killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
            let message = RecordFailure.lastLine(of: errorOutput)
            throw PipelineError.workerFailed(reason: "worker \(slot.shard) \(how) outside any record" + (message.isEmpty ? "" : ": \(message)"))
        }
        let failure = RecordFailure(position: position, cause: RecordFailure.cause(status: process.terminationStatus, signaled: signaled,
                                                                                   errorOutput: errorOutput, isolation: isolation))
        guard skippable else {
            throw PipelineError.recordFailed(file: position.file, record: position.record,
                                             reason: failure.reason + "; rgdm cannot step over a record of this format without Open Babel reading it (convert the file to SDF, or remove the record)")
        }
        if slot.shard.contains(record: position.index) { try Self.append(rejection(failure), to: slot) }
        slot.startAt = position.index + 1
        try start(slot)
    }

    /// Appends `line` to the slot's output, after dropping a line the dead worker left half written.
    private static func append(_ line: String, to slot: Slot) throws {
        guard let handle = FileHandle(forUpdatingAtPath: slot.output) else {
            throw PipelineError.invalidRun(path: slot.output, reason: "cannot open a worker's output to record a rejected record")
        }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        let start = size > 1 << 20 ? size - (1 << 20) : 0
        try handle.seek(toOffset: start)
        let tail = try handle.readToEnd() ?? Data()
        if let last = tail.last, last != UInt8(ascii: "\n") {
            let keep = start + UInt64(tail.lastIndex(of: UInt8(ascii: "\n")).map { $0 - tail.startIndex + 1 } ?? 0)
            try handle.truncate(atOffset: keep)
            slot.offset = min(slot.offset, keep)
        }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The last 4 KB of a worker's error output.
    private static func tail(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data.suffix(4096), as: UTF8.self)
    }

    private static func countNewLines(_ slot: Slot) {
        guard let handle = FileHandle(forReadingAtPath: slot.output) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: slot.offset)
        let data = (try? handle.readToEnd()) ?? Data()
        slot.lines += data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        slot.offset += UInt64(data.count)
    }
}
