import Diffusion
import Testing
@testable import Cluster

/// Which launcher started a process, read from its environment; MPI only when one did.
@Suite struct LauncherTests {
    @Test func aPlainStartIsOneRankWithoutMPI() throws {
        let launcher = try Launcher(environment: ["PATH": "/usr/bin", "SLURM_PROCID": "0", "SLURM_NTASKS": "4"])
        #expect(launcher == .plain && !launcher.isParallel, "a Slurm batch script (no job step) runs once")
        let job = try ClusterJob.join(environment: ["HOME": "/root"])
        #expect(job.size == 1 && job.rank == 0 && job.isPrimary)
        #expect(job.communicator is SingleProcess)
        try job.finish()
    }

    @Test(arguments: [
        (["OMPI_COMM_WORLD_RANK": "3", "OMPI_COMM_WORLD_SIZE": "4"], "mpirun (Open MPI)", 3, 4),
        (["PMI_RANK": "1", "PMI_SIZE": "2"], "a PMI launcher", 1, 2),
        (["SLURM_PROCID": "5", "SLURM_STEP_NUM_TASKS": "8", "SLURM_NTASKS": "8"], "srun (Slurm)", 5, 8),
        (["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "1"], "mpirun (Open MPI)", 0, 1),
    ])
    func launchersAreRecognised(environment: [String: String], name: String, rank: Int, size: Int) throws {
        let launcher = try Launcher(environment: environment)
        #expect(launcher == Launcher(name: name, rank: rank, size: size))
        #expect(launcher.isParallel == (size > 1))
    }

    @Test func badLauncherVariablesAreNamed() {
        #expect(throws: ClusterError.invalidEnvironment(variable: "OMPI_COMM_WORLD_SIZE", value: "zero")) {
            try Launcher(environment: ["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "zero"])
        }
        #expect(throws: ClusterError.invalidEnvironment(variable: "PMI_RANK", value: "2")) {
            try Launcher(environment: ["PMI_RANK": "2", "PMI_SIZE": "2"])
        }
    }

    /// A launcher that announces several ranks with no usable libmpi: a typed error that says
    /// what to install, not a crash.
    @Test func aMissingMPILibraryIsATypedError() {
        let environment = ["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "2",
                           "RGDM_MPI_LIBRARY": "/nonexistent/libmpi.so.40"]
        do {
            _ = try ClusterJob.join(environment: environment)
            Issue.record("joined a job without an MPI library")
        } catch ClusterError.libraryUnavailable(let reason) {
            #expect(reason.contains("/nonexistent/libmpi.so.40"))
            #expect(ClusterError.libraryUnavailable(reason: reason).description.contains("libopenmpi-dev"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
