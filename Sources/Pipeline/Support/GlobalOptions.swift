import ArgumentParser

/// Options every long-running command shares.
public struct GlobalOptions: ParsableArguments {
    @Option(help: "Seed for every random choice; the same seed gives the same output.")
    public var seed: UInt64 = 0

    @Option(help: "Worker threads or processes to use (default: all cores).")
    public var threads: Int?

    @Flag(name: .shortAndLong, help: "Log more detail to stderr.")
    public var verbose = false

    public init() {}

    /// The number of workers to use: `--threads`, or every active core.
    public var workerCount: Int {
        max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    public func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1 (got \(threads))")
        }
    }
}

import Foundation
