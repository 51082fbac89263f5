import Foundation
import TestSupport

/// The rgdm executable SwiftPM builds beside this test bundle, run as a child process: for what
/// only a separate process shows (a kill -9, what a command prints on stdout and stderr).
enum RGDMExecutable {
    /// Its path, or nil when it was not built.
    static let path: String? = {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: me).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = directory.appendingPathComponent("rgdm").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    /// Starts `executable` with `arguments`, its output discarded.
    static func launch(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What a finished run printed, and how it ended.
    struct Output {
        /// The exit status, or the signal's number when `signalled`.
        var status: Int32
        var signalled = false
        var stdout: String, stderr: String
    }

    /// Runs `executable` with `arguments` and extra `environment` variables to the end; its output
    /// goes through files in a scratch directory of the running test (which carries
    /// `.temporaryDirectories`).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let directory = try TemporaryDirectory.create("rgdm-output")
        let out = directory.appendingPathComponent("stdout"), err = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }
}
