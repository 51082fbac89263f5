import ArgumentParser

/// `rgdm bench train`. Not built yet: it exits with an error rather than pretending.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "(not built yet) rgdm bench train")

    func run() throws {
        throw ValidationError("'rgdm bench train' is not built yet")
    }
}
