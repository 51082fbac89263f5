import ArgumentParser
import Testing
@testable import Pipeline

/// Expects `arguments` to be refused by `type`'s parser or its `validate()` with a message that
/// contains `message`. A misspelt flag or a missing value is refused with another message, so it
/// cannot pass for the refusal a test means. Commands parse as the root of their own tree
/// (`RGDMCommand` for full command lines).
func expectParseError<T: ParsableArguments>(_ type: T.Type, _ arguments: [String], _ message: String,
                                            sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        if let command = type as? any ParsableCommand.Type {
            _ = try command.parseAsRoot(arguments)
        } else {
            _ = try type.parse(arguments)
        }
        Issue.record("\(arguments) parsed; expected \"\(message)\"", sourceLocation: sourceLocation)
    } catch {
        let text = type.message(for: error)
        #expect(text.contains(message), "\(arguments)", sourceLocation: sourceLocation)
    }
}
