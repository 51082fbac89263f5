import ArgumentParser

/// `rgdm convert`. Not built yet: it exits with an error rather than pretending.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "(not built yet) rgdm convert")

    func run() throws {
        throw ValidationError("'rgdm convert' is not built yet")
    }
}
