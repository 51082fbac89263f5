import ArgumentParser

/// `rgdm train`. Not built yet: it exits with an error rather than pretending.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "(not built yet) rgdm train")

    func run() throws {
        throw ValidationError("'rgdm train' is not built yet")
    }
}
