import ArgumentParser

/// `rgdm sample`. Not built yet: it exits with an error rather than pretending.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "(not built yet) rgdm sample")

    func run() throws {
        throw ValidationError("'rgdm sample' is not built yet")
    }
}
