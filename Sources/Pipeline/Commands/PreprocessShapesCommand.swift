import ArgumentParser

/// `rgdm preprocess shapes`. Not built yet: it exits with an error rather than pretending.
struct PreprocessShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shapes", abstract: "(not built yet) rgdm preprocess shapes")

    func run() throws {
        throw ValidationError("'rgdm preprocess shapes' is not built yet")
    }
}
