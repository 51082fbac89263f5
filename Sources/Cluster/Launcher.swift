/// What started this process, read from the environment: a plain start (one process, no
/// MPI at all), or one rank of a job that mpirun or srun launched. Only the latter loads
/// and initialises MPI, so `rgdm train` on a laptop needs no MPI launcher or library.
public struct Launcher: Sendable, Equatable {
    /// Who set the variables: "mpirun (Open MPI)", "srun (Slurm)", "a PMI launcher"; nil for a plain start.
    public var name: String?
    /// This process's rank and the ranks in the job, as the launcher announced them.
    public var rank: Int
    public var size: Int

    /// A plain start: rank 0 of 1.
    public static let plain = Launcher(name: nil, rank: 0, size: 1)

    /// Whether the job has more than one rank (then MPI is needed).
    public var isParallel: Bool { size > 1 }

    /// Rank and size variables by launcher, the first complete pair wins. srun sets
    /// SLURM_STEP_NUM_TASKS only for a job step (not in the batch script itself, which runs once).
    static let conventions: [(name: String, rank: String, size: String)] = [
        ("mpirun (Open MPI)", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"),
        ("a PMI launcher", "PMI_RANK", "PMI_SIZE"),
        ("srun (Slurm)", "SLURM_PROCID", "SLURM_STEP_NUM_TASKS"),
    ]

    /// The launcher `environment` describes (`ProcessInfo.processInfo.environment`).
    public init(environment: [String: String]) throws {
        for convention in Self.conventions {
            guard let rankText = environment[convention.rank], let sizeText = environment[convention.size] else { continue }
            guard let size = Int(sizeText), size >= 1 else {
                throw ClusterError.invalidEnvironment(variable: convention.size, value: sizeText)
            }
            guard let rank = Int(rankText), (0 ..< size).contains(rank) else {
                throw ClusterError.invalidEnvironment(variable: convention.rank, value: rankText)
            }
            self.init(name: convention.name, rank: rank, size: size)
            return
        }
        self = .plain
    }

    public init(name: String?, rank: Int, size: Int) {
        self.name = name
        self.rank = rank
        self.size = size
    }
}
