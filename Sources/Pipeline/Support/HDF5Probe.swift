import Foundation
import HDF5

/// Reads an HDF5 file in a child process before this process opens it.
///
/// libhdf5 1.10 (Debian 12's) crashes, loops or allocates without end on some corrupt files:
/// the fuzzers found null and out-of-bounds copies, a stack overrun in a type conversion, an
/// endless global-heap walk and a group lookup that allocated 1.8 GB (Fuzz/README.md). None of
/// it can be checked before libhdf5 parses the file, so the rgdm executable installs this probe
/// as `HDF5Preflight`: the child (`rgdm hdf5-probe FILE`) walks every group, attribute and dataset
/// and reads every dataset the ways the readers do (`readEverything`); only when it ends cleanly
/// does this process open the file. A child that is killed by a signal, runs past `timeout`
/// seconds or past `memoryLimit` bytes of resident memory makes the open throw
/// `HDF5Error.cannotOpen` naming the file. The child asks libhdf5 for everything a reader could,
/// but in its own order: a crash that only another sequence of calls reaches would still end the
/// parent. Each file is probed once per process while its inode, size and modification time stay
/// the same; `RGDM_HDF5_PROBE=off` turns the probe off (its cost is reading the file once more:
/// 1.3–2.6 s for a 490 MB set of 40,000 clouds of 1,024 points, in a debug build).
struct HDF5Probe: Sendable {
    /// The executable run as `EXECUTABLE hdf5-probe FILE`.
    var executable: String
    /// Resident memory past which the child is killed: the walk reads in slices of a few
    /// tens of MB, so only a runaway library gets near this.
    var memoryLimit = 4 << 30
    /// Seconds the child may take: `baseTimeout` plus `secondsPerGigabyte` per GB of file.
    var baseTimeout = 60.0
    var secondsPerGigabyte = 60.0

    /// The environment variable that turns the probe off ("off", "0" or "no").
    static let environmentVariable = "RGDM_HDF5_PROBE"

    /// Installs the probe of `executable` (this one) as HDF5's preflight check, unless the
    /// environment turns it off.
    static func install(executable: String = ShardWorkers.executable,
                        environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard isEnabled(environment) else { return }
        let probe = HDF5Probe(executable: executable)
        let probed = ProbedFiles()
        HDF5Preflight.install { path in try probed.once(path) { try probe.check(path) } }
    }

    static func isEnabled(_ environment: [String: String]) -> Bool {
        !["off", "0", "no", "false"].contains(environment[environmentVariable]?.lowercased() ?? "")
    }

    /// Runs the child on `path`; throws `.cannotOpen` unless it ends with status 0.
    func check(_ path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let timeout = baseTimeout + secondsPerGigabyte * Double(size) / 1e9
        let (ending, message) = try ScratchDirectory.with(prefix: "rgdm-hdf5-probe") { scratch in
            let error = scratch + "/stderr.txt"
            let ending: ExternalProgram.Ending
            do {
                ending = try ExternalProgram(executable).run(["hdf5-probe", path], output: scratch + "/stdout.txt", error: error,
                                                             timeout: timeout, memoryLimit: memoryLimit)
            } catch {
                throw HDF5Error.cannotOpen(file: path, reason: "could not start the process that reads it first (\(error))")
            }
            return (ending, ExternalProgram.lastLine(of: error))
        }
        let why: String
        switch ending {
        case .exited(0): return
        case let .exited(status): why = "exit status \(status)" + (message.map { ": \($0)" } ?? "")
        case let .signalled(signal): why = "killed by signal \(signal)" + (Self.signalName(signal).map { " (\($0))" } ?? "")
        case .timedOut: why = "still reading after \(Int(timeout)) s (an endless loop in libhdf5?)"
        case let .exceededMemory(bytes): why = "used more than \(bytes >> 20) MiB of memory"
        }
        throw HDF5Error.cannotOpen(file: path, reason: "reading it in a separate process failed: \(why); libhdf5 cannot read "
                                   + "this file safely (corrupt?) (\(Self.environmentVariable)=off skips this check)")
    }

    private static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGILL: "SIGILL"
        case SIGKILL: "SIGKILL"
        default: nil
        }
    }
}

/// The files probed so far in this process, by path, inode, size and modification time, with
/// the error each probe threw (nil: it passed). A file that failed fails again at once: readers
/// that try several layouts open a file more than once, and a hang costs the whole time limit.
final class ProbedFiles: @unchecked Sendable {
    private struct Key: Hashable {
        var path: String
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    private let lock = NSLock()
    private var outcomes: [Key: (any Error)?] = [:]

    /// Runs `probe` unless the file at `path`, as it is now, was probed already; then passes or
    /// throws as that probe did.
    func once(_ path: String, _ probe: () throws -> Void) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return try probe() }
        let key = Key(path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                      seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
        if let outcome = lock.withLock({ outcomes[key] }) {
            if let error = outcome { throw error }
            return
        }
        do {
            try probe()
            lock.withLock { outcomes[key] = .some(nil) }
        } catch {
            lock.withLock { outcomes[key] = .some(error) }
            throw error
        }
    }
}
