/// Limits a worker process puts on itself so that one record cannot take a
/// job down: a wall-clock budget per record and a cap on its address space.
struct RecordIsolation: Equatable, Sendable {
    /// Seconds one record may take (nil: no limit).
    var timeout: Double?
    /// Address space of one worker process, in MiB (nil: no limit).
    var memoryMegabytes: Int?

    /// 20 s a record, 4096 MiB a worker: far above what any record of a
    /// molecule set needs (the slowest 3D builds take a few seconds, a worker
    /// maps about 300 MiB before its first record), far below what a runaway record would take.
    static let `default` = RecordIsolation(timeout: 20, memoryMegabytes: 4096)

    /// The worker options that carry these limits.
    var arguments: [String] {
        ["--record-timeout", String(timeout ?? 0), "--worker-memory", String(memoryMegabytes ?? 0)]
    }
}
