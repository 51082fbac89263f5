import Foundation
import TestSupport

/// `mpirun` of Open MPI running the rgdm executable on this machine's loopback, for the
/// data-parallel tests; nil paths make those tests skip with a message.
enum MPIRun {
    /// mpirun's path, from PATH.
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":")
        return directories.map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Whether both mpirun and the rgdm executable are there.
    static var isAvailable: Bool { path != nil && RGDMExecutable.path != nil }

    /// The environment of a job: this one, with Open MPI allowed to run as root (containers).
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        return environment
    }

    /// Starts `rgdm arguments` on `ranks` ranks (more ranks than cores allowed, none pinned),
    /// stdout and stderr into `output` + ".out" / ".err".
    static func launch(ranks: Int, _ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--oversubscribe", "--bind-to", "none", "-np", "\(ranks)", RGDMExecutable.path!] + arguments
        process.environment = environment
        _ = FileManager.default.createFile(atPath: output + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: output + ".err", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: output + ".err"))
        try process.run()
        return process
    }

    /// Runs `rgdm arguments` on `ranks` ranks to the end: exit status and stderr.
    static func run(ranks: Int, _ arguments: [String], output: String) throws -> (status: Int32, stderr: String) {
        let process = try launch(ranks: ranks, arguments, output: output)
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? "")
    }

    /// The processes `parent` started, with the rank Open MPI gave each.
    static func ranks(of parent: Int32) -> [(pid: Int32, rank: Int)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> (Int32, Int)? in
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent,
                  let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return nil }
            let variables = environ.split(separator: 0).compactMap { String(bytes: $0, encoding: .utf8) }
            guard let rank = variables.first(where: { $0.hasPrefix("OMPI_COMM_WORLD_RANK=") })
                .flatMap({ Int($0.dropFirst("OMPI_COMM_WORLD_RANK=".count)) }) else { return nil }
            return (pid, rank)
        }
    }
}
