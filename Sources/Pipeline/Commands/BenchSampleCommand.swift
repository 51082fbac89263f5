import ArgumentParser

/// `rgdm bench sample`. Not built yet: it exits with an error rather than pretending.
struct BenchSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "(not built yet) rgdm bench sample")

    func run() throws {
        throw ValidationError("'rgdm bench sample' is not built yet")
    }
}
