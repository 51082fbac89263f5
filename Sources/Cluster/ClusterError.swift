/// Errors of the Cluster module: a launcher's environment that does not add up, a missing
/// MPI library, a failed MPI call (with MPI's words for it).
public enum ClusterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A launcher variable is set but does not read as a rank or size.
    case invalidEnvironment(variable: String, value: String)
    /// A launcher started this process but libmpi could not be loaded.
    case libraryUnavailable(reason: String)
    /// An MPI call failed on `rank` (-1 before the rank is known).
    case mpiFailure(call: String, rank: Int, code: Int32, message: String)
    /// MPI's world does not match what the launcher announced.
    case worldMismatch(launcher: String, expectedSize: Int, actualSize: Int)

    public var description: String {
        switch self {
        case .invalidEnvironment(let variable, let value):
            "the launcher variable \(variable)=\(value) is not a valid rank or size"
        case .libraryUnavailable(let reason):
            "a launcher started this process but the MPI library cannot be used: \(reason)"
                + " (install Open MPI: libopenmpi-dev and openmpi-bin, or set RGDM_MPI_LIBRARY to libmpi.so's path)"
        case .mpiFailure(let call, let rank, let code, let message):
            "\(call) failed on rank \(rank < 0 ? "?" : String(rank)) (MPI error \(code)): \(message)"
        case .worldMismatch(let launcher, let expected, let actual):
            "\(launcher) announced \(expected) ranks but MPI's world has \(actual);"
                + " start rgdm with that launcher's own MPI (srun --mpi=pmix, or mpirun of the Open MPI rgdm loads)"
        }
    }
}
