import ArgumentParser

/// `rgdm evaluate molecules`. Not built yet: it exits with an error rather than pretending.
struct EvaluateMoleculesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "molecules", abstract: "(not built yet) rgdm evaluate molecules")

    func run() throws {
        throw ValidationError("'rgdm evaluate molecules' is not built yet")
    }
}
