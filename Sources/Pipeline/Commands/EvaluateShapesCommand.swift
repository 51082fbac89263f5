import ArgumentParser

/// `rgdm evaluate shapes`. Not built yet: it exits with an error rather than pretending.
struct EvaluateShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shapes", abstract: "(not built yet) rgdm evaluate shapes")

    func run() throws {
        throw ValidationError("'rgdm evaluate shapes' is not built yet")
    }
}
