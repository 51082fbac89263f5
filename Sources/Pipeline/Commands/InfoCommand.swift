import ArgumentParser

/// `rgdm info`. Not built yet: it exits with an error rather than pretending.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "(not built yet) rgdm info")

    func run() throws {
        throw ValidationError("'rgdm info' is not built yet")
    }
}
