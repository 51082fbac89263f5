import ArgumentParser

/// `rgdm preprocess molecules|shapes`: raw files → one HDF5 training set.
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Turn raw molecule or shape files into an HDF5 training set.",
        subcommands: [PreprocessMoleculesCommand.self, PreprocessShapesCommand.self]
    )
}
