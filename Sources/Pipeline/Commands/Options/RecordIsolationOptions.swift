import ArgumentParser

/// Isolation of records in worker processes: per-record time and per-worker
/// memory limits, and the hidden options a supervised worker runs with.
struct RecordIsolationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds one record may take; a record still running then is rejected and its worker replaced (0: no limit).",
                               valueName: "seconds"))
    var recordTimeout: Double = RecordIsolation.default.timeout ?? 0

    @Option(help: ArgumentHelp("Address space of each worker process; a record needing more is rejected and its worker replaced (0: no limit).",
                               valueName: "MiB"))
    var workerMemory: Int = RecordIsolation.default.memoryMegabytes ?? 0

    /// The heartbeat file of a supervised worker (see `WorkerHeartbeat`).
    @Option(help: .hidden)
    var heartbeat: String?

    /// A replaced worker's first record: owned records before it are done.
    @Option(help: .hidden)
    var startAt = 0

    func validate() throws {
        if recordTimeout < 0 { throw ValidationError("--record-timeout must be 0 (no limit) or more (got \(recordTimeout))") }
        if workerMemory != 0 && workerMemory < Self.smallestWorkerMemory {
            throw ValidationError("--worker-memory must be 0 (no limit) or at least \(Self.smallestWorkerMemory) MiB: a worker maps about 300 MiB before it reads a record (got \(workerMemory))")
        }
        if startAt < 0 { throw ValidationError("--start-at must be 0 or more") }
    }

    /// Below this, Open Babel cannot even load its formats in a worker.
    static let smallestWorkerMemory = 512

    var isolation: RecordIsolation {
        RecordIsolation(timeout: recordTimeout > 0 ? recordTimeout : nil, memoryMegabytes: workerMemory > 0 ? workerMemory : nil)
    }

    /// The watchdog of a supervised worker (nil when not run with a heartbeat).
    func watchdog() throws -> RecordWatchdog? {
        try heartbeat.map { try RecordWatchdog(heartbeat: $0, isolation: isolation) }
    }
}
