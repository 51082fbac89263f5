import ArgumentParser

/// `rgdm bench …`: timings of the real code paths, printed as figures or JSON.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark training, sampling, fine-tuning, conformer generation and shape metrics.",
        subcommands: [BenchTrainCommand.self, BenchSampleCommand.self, BenchFineTuneCommand.self, BenchConformersCommand.self,
                      BenchShapesCommand.self, BenchDataParallelCommand.self]
    )
}
