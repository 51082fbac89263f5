import Diffusion
import Foundation

/// This process's place in a data-parallel job: rank 0 of 1 when nothing launched it (no
/// MPI loaded), else one rank of an MPI world. Commands join once at the start, hand
/// `communicator` to the trainer, and end with `finish()`, or with `abort(code:)` when an
/// error on one rank must end them all.
public final class ClusterJob {
    public let launcher: Launcher
    public let communicator: any Communicator
    private let mpi: MPICommunicator?

    /// Joins the job `environment` describes; MPI is initialised only when a launcher
    /// started more than one rank. `RGDM_MPI_LIBRARY` names libmpi when it is not on the
    /// loader's path.
    public static func join(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClusterJob {
        let launcher = try Launcher(environment: environment)
        guard launcher.isParallel else { return ClusterJob(launcher: launcher, mpi: nil) }
        return ClusterJob(launcher: launcher, mpi: try MPICommunicator(launcher: launcher, library: environment["RGDM_MPI_LIBRARY"]))
    }

    private init(launcher: Launcher, mpi: MPICommunicator?) {
        self.launcher = launcher
        self.mpi = mpi
        self.communicator = mpi ?? SingleProcess()
    }

    public var rank: Int { communicator.rank }
    public var size: Int { communicator.size }
    public var isPrimary: Bool { communicator.isPrimary }

    /// Ends MPI after the last collective (nothing to do for one process).
    public func finish() throws { try mpi?.finish() }

    /// Ends every rank of the job with `code` (only this process when it runs alone).
    public func abort(code: Int32) -> Never {
        if let mpi { mpi.abort(code: code) }
        exit(code)
    }
}

extension ClusterJob {
    /// Whether to stop now: `local` (this rank's Ctrl-C or SIGTERM) from any rank stops every
    /// rank at the same step (an all-reduce of one value a step when there are several ranks).
    /// A failed all-reduce (a rank gone) stops too.
    public func stopRequested(_ local: Bool) -> Bool {
        guard size > 1 else { return local }
        return (try? communicator.anyRank(local)) ?? true
    }
}
