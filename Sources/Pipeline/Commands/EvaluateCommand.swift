import ArgumentParser

/// `rgdm evaluate molecules|shapes|conditional`: the field's metrics on generated samples.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score generated molecules (EDM metrics), shapes (MMD, COV, 1-NNA) or a conditional model (EDM's conditional MAE).",
        subcommands: [EvaluateMoleculesCommand.self, EvaluateShapesCommand.self, EvaluateConditionalCommand.self]
    )
}
