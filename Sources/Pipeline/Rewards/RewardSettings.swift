/// How the rewards of a specification are built: the external programs and their limits,
/// and the worker processes that run Open Babel rewards in parallel.
public struct RewardSettings: Sendable {
    /// The reward command (`--reward-command PROG --reward-arg …`) for the `command` term.
    public var command: String?
    public var commandArguments: [String]
    /// Seconds a reward command has for one batch.
    public var commandTimeout: Double
    /// The xtb executable (a path, or a name on PATH) and its seconds per molecule.
    public var xtbExecutable: String
    public var xtbTimeout: Double
    /// Processes (xtb runs, Open Babel workers) at a time.
    public var parallelism: Int
    /// The rgdm executable that serves `rgdm reward-worker`; nil scores in this process.
    public var workerExecutable: String?
    /// Batches smaller than this are scored in this process: starting the workers and
    /// shipping molecules to them costs more than it saves.
    public var minimumWorkerBatch: Int
    /// Seconds a worker has for one molecule before it counts as hung and is replaced.
    public var workerTimeout: Double
    /// The shape classifier of `class(CATEGORY)` terms that name no model (`--reward-classifier`).
    public var classifier: String?

    public init(command: String? = nil, commandArguments: [String] = [], commandTimeout: Double = 600,
                xtbExecutable: String = "xtb", xtbTimeout: Double = 60, parallelism: Int = 2,
                workerExecutable: String? = nil, minimumWorkerBatch: Int = 64, workerTimeout: Double = 60) {
        self.command = command
        self.commandArguments = commandArguments
        self.commandTimeout = commandTimeout
        self.xtbExecutable = xtbExecutable
        self.xtbTimeout = xtbTimeout
        self.parallelism = parallelism
        self.workerExecutable = workerExecutable
        self.minimumWorkerBatch = minimumWorkerBatch
        self.workerTimeout = workerTimeout
    }

    /// Settings for scoring inside this process only (workers and tests).
    public static let inProcess = RewardSettings(parallelism: 1)
}
