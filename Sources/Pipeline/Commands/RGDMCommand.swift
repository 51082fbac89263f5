import ArgumentParser

/// The `rgdm` command line: reward-guided diffusion for molecules and 3D shapes.
///
/// The root holds configuration only; each subcommand lives in its own file.
public struct RGDMCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rgdm",
        abstract: "Generate molecules and 3D shapes with reward-guided equivariant diffusion models.",
        version: RGDMVersion.string,
        subcommands: [
            PreprocessCommand.self,
            TrainCommand.self,
            FineTuneCommand.self,
            CompareCommand.self,
            GalleryCommand.self,
            TrainPropertyCommand.self,
            ClassifyCommand.self,
            SampleCommand.self,
            EvaluateCommand.self,
            SweepCommand.self,
            ScoreCommand.self,
            ConvertCommand.self,
            InfoCommand.self,
            ExportCommand.self,
            BenchCommand.self,
            RewardWorkerCommand.self,
            HDF5ProbeCommand.self,
        ]
    )

    public init() {}
}

/// The code version written next to every run's outputs.
public enum RGDMVersion {
    public static let string = "0.1.0"
}

extension RGDMCommand {
    /// The entry point: installs the HDF5 probe (every HDF5 file is read in a child process
    /// before this one opens it), expands `--config FILE` into options, then parses and runs.
    public static func mainWithConfigFiles(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        HDF5Probe.install()
        do {
            main(try ConfigFile.expand(arguments))
        } catch {
            exit(withError: error)
        }
    }
}
