import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns the first Ctrl-C (SIGINT) or SIGTERM into a flag that long loops
/// poll, so they can save a checkpoint and stop cleanly; a second signal ends
/// the process at once.
public enum Interruption {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    nonisolated(unsafe) private static var installed = false

    /// Installs the handlers (idempotent).
    public static func install() {
        guard !installed else { return }
        installed = true
        let handler: @convention(c) (Int32) -> Void = { signal in
            if Interruption.flag != 0 { _exit(128 + signal) }
            Interruption.flag = 1
        }
        Glibc.signal(SIGINT, handler)
        Glibc.signal(SIGTERM, handler)
    }

    /// True once a stop was requested.
    public static var requested: Bool { flag != 0 }

    /// For tests: forget a previous request.
    public static func reset() { flag = 0 }
}
