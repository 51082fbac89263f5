import ArgumentParser

/// `rgdm bench shapes`. Not built yet: it exits with an error rather than pretending.
struct BenchShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shapes", abstract: "(not built yet) rgdm bench shapes")

    func run() throws {
        throw ValidationError("'rgdm bench shapes' is not built yet")
    }
}
