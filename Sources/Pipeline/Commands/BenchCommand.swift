import ArgumentParser

/// `rgdm bench …`: timings of the real code paths, printed as figures or JSON.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark training, sampling, conformer generation and shape metrics.",
        subcommands: [BenchTrainCommand.self, BenchSampleCommand.self, BenchConformersCommand.self, BenchShapesCommand.self]
    )
}
