import COpenBabel
import Foundation

/// Open Babel is not thread-safe (parallel calls crash or give wrong
/// results), so every call into it from Swift goes through this one lock.
/// Parallelism comes from worker processes instead (see Pipeline).
enum OpenBabelLock {
    private static let lock = NSRecursiveLock()

    /// Runs `body` while holding the process-wide Open Babel lock.
    static func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The shim's reason for its last failure (call inside `run`).
    static var lastError: String {
        String(cString: rgdm_ob_last_error())
    }
}
