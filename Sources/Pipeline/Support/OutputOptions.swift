import ArgumentParser

/// What a command writes to `--output`: the option's help and the extensions it accepts.
protocol OutputKind {
    static var help: ArgumentHelp { get }
    /// Accepted extensions, lower case without the dot, matched ignoring case; empty: any.
    static var extensions: [String] { get }
}

/// `-o/--output FILE` of the commands that write one file: the path, the check of its extension,
/// and the names of the files written beside it (`OutputFile.sidecar`). A file already at the path
/// is replaced; `rgdm preprocess molecules` resumes from its `Sidecar.parts` folder instead of
/// starting over.
struct OutputOptions<Kind: OutputKind>: ParsableArguments {
    @Option(name: .shortAndLong, help: Kind.help)
    var output: String

    init() {}

    var file: OutputFile { OutputFile(path: output) }

    func validate() throws {
        guard file.hasExtension(in: Kind.extensions) else {
            throw ValidationError("--output must end in \(Kind.extensions.map { "." + $0 }.joined(separator: " or "))")
        }
    }
}

/// An HDF5 set (`rgdm preprocess`).
enum HDF5Output: OutputKind {
    static let help = ArgumentHelp("The HDF5 file to write (.h5 or .hdf5).")
    static let extensions = ["h5", "hdf5"]
}

/// Samples in the format of the extension (`rgdm sample`; which ones depends on the model's domain).
enum SampleOutput: OutputKind {
    static let help = ArgumentHelp("Output file; its extension picks the format.")
    static let extensions: [String] = []
}

/// A checkpoint (`rgdm export`).
enum CheckpointOutput: OutputKind {
    static let help = ArgumentHelp("The file to write.")
    static let extensions: [String] = []
}

/// A property model (`rgdm train-property`).
enum PropertyModelOutput: OutputKind {
    static let help = ArgumentHelp("The property model file to write (.rgdm); an EGNN run found there resumes.")
    static let extensions = ["rgdm"]
}
