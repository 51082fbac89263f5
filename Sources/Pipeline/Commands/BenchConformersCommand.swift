import ArgumentParser

/// `rgdm bench conformers`. Not built yet: it exits with an error rather than pretending.
struct BenchConformersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conformers", abstract: "(not built yet) rgdm bench conformers")

    func run() throws {
        throw ValidationError("'rgdm bench conformers' is not built yet")
    }
}
