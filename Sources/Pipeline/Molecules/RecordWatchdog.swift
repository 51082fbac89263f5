import Foundation

/// The worker's side of isolation. Before each record it writes which record
/// it is on to its heartbeat and arms a timer whose signal (SIGALRM, left at
/// its default action) ends the process when the record overruns; at start
/// it caps its own address space (RLIMIT_AS), so an allocation that would
/// exceed the cap fails and the process aborts. The parent sees how the
/// worker ended, reads the heartbeat, rejects that record and starts a new
/// worker after it (see `WorkerSupervisor`).
final class RecordWatchdog {
    private let heartbeat: WorkerHeartbeat
    private let timeout: Double?

    init(heartbeat path: String, isolation: RecordIsolation) throws {
        heartbeat = try WorkerHeartbeat(path: path)
        timeout = isolation.timeout
        // The timer must end the process even if whoever started it ignored or blocked SIGALRM.
        signal(SIGALRM, SIG_DFL)
        var alarm = sigset_t()
        sigemptyset(&alarm)
        sigaddset(&alarm, SIGALRM)
        pthread_sigmask(SIG_UNBLOCK, &alarm, nil)
        if let megabytes = isolation.memoryMegabytes { Self.limitAddressSpace(to: megabytes) }
    }

    deinit { leave() }

    /// The environment variable in which `WorkerSupervisor` names itself (its process id).
    static let supervisorVariable = "RGDM_SUPERVISOR_PID"
    /// The supervisor that started this worker, if one did.
    private let supervisor = ProcessInfo.processInfo.environment[supervisorVariable].flatMap { pid_t($0) }

    /// The worker starts on `position`; `skippable` if its format can be stepped over unparsed.
    /// A worker whose supervisor is gone (killed with SIGKILL, with no chance to stop its
    /// workers) stops here: else it would go on appending to its part file, which the rerun's
    /// workers resume at the same time.
    func enter(_ position: RecordPosition, skippable: Bool) {
        if let supervisor, getppid() != supervisor { exit(3) }
        heartbeat.enter(position, skippable: skippable)
        arm(timeout)
    }

    /// The worker is done with its record.
    func leave() {
        arm(nil)
        heartbeat.leave()
    }

    private func arm(_ seconds: Double?) {
        let whole = Int(seconds ?? 0)
        let micro = Int(((seconds ?? 0) - Double(whole)) * 1e6)
        var timer = itimerval(it_interval: timeval(tv_sec: 0, tv_usec: 0),
                              it_value: timeval(tv_sec: .init(whole), tv_usec: .init(micro)))
        #if os(Linux)
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
        #else
        setitimer(ITIMER_REAL, &timer, nil)
        #endif
    }

    private static func limitAddressSpace(to megabytes: Int) {
        let bytes = rlim_t(megabytes) << 20
        var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
        #if os(Linux)
        setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
        #else
        setrlimit(RLIMIT_AS, &limit)
        #endif
    }
}
