import ArgumentParser

/// Options of commands that run as shard workers (see `ShardWorkers`).
struct WorkerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Process only shard i of n (records whose index ≡ i mod n), e.g. 0/4.", valueName: "i/n"))
    var shard: String?

    @Option(help: .hidden)
    var workerOutput: String?

    func validate() throws {
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must read i/n with 0 ≤ i < n (got '\(shard)')") }
    }

    var parsedShard: Shard { shard.flatMap(Shard.init) ?? .whole }
    var isWorker: Bool { workerOutput != nil }
}
