import Foundation
import Testing
import TestSupport

/// A folder on a disk that fills up, for the fault-injection tests.
///
/// As root (CI and the development machine), a real one: a small tmpfs mounted at the folder,
/// then filled to the space asked for, so writes fail with ENOSPC as on a full disk. Without
/// root (no mount), the nearest thing: the command runs with a file-size limit (RLIMIT_FSIZE,
/// `ulimit -f`, SIGXFSZ ignored) of that space, so a write past it fails with EFBIG
/// (`RGDM_TEST_FULL_DISK=file-size-limit` picks this one as root too).
struct FullDisk {
    enum Kind { case tmpfs, fileSizeLimit }

    let path: String
    let kind: Kind
    private var limit: Int?

    /// How a command run on the disk ended.
    struct Ending: CustomStringConvertible {
        var status: Int32
        /// The signal that ended it, if one did.
        var signal: Int32?
        var stderr: String
        var description: String { "status \(status), signal \(signal.map(String.init) ?? "none"), stderr: \(stderr)" }
    }

    /// Runs `body` with a small disk at `path` (unmounted afterwards, whatever happens).
    static func withSmallFilesystem(at path: String, megabytes: Int = 8, _ body: (inout FullDisk) throws -> Void) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var disk = FullDisk(path: path, kind: .fileSizeLimit)
        let tmpfs = ProcessInfo.processInfo.environment["RGDM_TEST_FULL_DISK"] != "file-size-limit"
        if tmpfs, geteuid() == 0, run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]) == 0 {
            disk = FullDisk(path: path, kind: .tmpfs)
        }
        defer { if disk.kind == .tmpfs { _ = run("/bin/umount", ["-l", path]) } }
        try body(&disk)
    }

    /// Leaves about `bytes` bytes for what comes next: fills the tmpfs with a file of zeros, or
    /// sets the file-size limit.
    mutating func fill(leaving bytes: Int) throws {
        switch kind {
        case .fileSizeLimit:
            limit = bytes
        case .tmpfs:
            var stats = statvfs()
            try #require(statvfs(path, &stats) == 0)
            let free = Int(stats.f_bavail) * Int(stats.f_frsize)
            try #require(free > bytes, "the disk has \(free) bytes free, less than the \(bytes) to leave")
            try Data(count: free - bytes).write(to: URL(fileURLWithPath: path + "/filler"))
        }
    }

    /// Runs `executable` with `arguments` on the full disk (under the file-size limit when that
    /// is how it is full).
    func run(_ executable: String, _ arguments: [String]) throws -> Ending {
        let scratch = try TemporaryDirectory.create("full-disk-output")
        let err = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        if let limit {
            // bash's ulimit -f counts 1,024-byte blocks; an ignored SIGXFSZ survives exec, so the
            // write past the limit fails with EFBIG instead of killing the process.
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "ulimit -f \(max(limit / 1024, 1)); trap '' XFSZ; exec \"$0\" \"$@\"", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let handle = try FileHandle(forWritingTo: err)
        defer { try? handle.close() }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let signalled = process.terminationReason == .uncaughtSignal
        return Ending(status: process.terminationStatus, signal: signalled ? process.terminationStatus : nil,
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// Runs a system tool quietly; its exit status (-1 when it cannot start).
    private static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
