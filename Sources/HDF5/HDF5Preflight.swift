import Foundation

/// A check that runs before `HDF5File(readingFrom:)` opens a file, installed once by a program.
///
/// libhdf5 1.10 crashes, loops or allocates without end on some corrupt files (Fuzz/README.md
/// lists what the fuzzers found), and nothing a reader checks comes before libhdf5 parses the
/// file's metadata. The rgdm executable installs a check that reads the whole file in a child
/// process first (`HDF5Probe` in Pipeline), where a crash is an error naming the file instead of
/// the end of a job. A library user installs nothing and opens files directly.
public enum HDF5Preflight {
    /// Throws when the file at `path` must not be opened in this process.
    public typealias Check = @Sendable (_ path: String) throws -> Void

    private static let lock = NSLock()
    nonisolated(unsafe) private static var check: Check?

    /// Makes `check` run before every later read-only open (nil: no check).
    public static func install(_ check: Check?) {
        lock.withLock { self.check = check }
    }

    /// Runs the installed check, if any, on `path`.
    static func run(on path: String) throws {
        let check = lock.withLock { self.check }
        try check?(path)
    }
}
