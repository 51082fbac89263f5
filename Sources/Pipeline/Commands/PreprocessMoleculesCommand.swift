import ArgumentParser

/// `rgdm preprocess molecules`. Not built yet: it exits with an error rather than pretending.
struct PreprocessMoleculesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "molecules", abstract: "(not built yet) rgdm preprocess molecules")

    func run() throws {
        throw ValidationError("'rgdm preprocess molecules' is not built yet")
    }
}
