import ArgumentParser

/// `rgdm evaluate molecules|shapes`: the field's metrics on generated samples.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score generated molecules (EDM metrics) or shapes (MMD, COV, 1-NNA).",
        subcommands: [EvaluateMoleculesCommand.self, EvaluateShapesCommand.self]
    )
}
