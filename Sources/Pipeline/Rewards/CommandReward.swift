import Chem
import Foundation

/// A reward computed by any program: `PROG ARG…` (an argument vector, never a shell
/// string) gets the batch as JSON lines on standard input, one `MoleculeLine` per sample
/// in order, and answers one number per line on standard output, line i for sample i.
/// An argument `{sdf}` is replaced by the path of an SDF file of the same batch (record i
/// is sample i; invalid molecules are written as they are, without bonds).
///
/// The whole batch has `timeout` seconds. What goes wrong is reported per sample and
/// never stops the run: a program that cannot start, hangs, crashes (non-zero exit or a
/// signal) fails every sample of the batch; a line that is not a number, NaN or ±∞, or a
/// missing line fails its sample only.
public struct CommandReward: MoleculeReward {
    let program: ExternalProgram
    public let arguments: [String]
    public let timeout: Double

    /// Throws `PipelineError.invalidReward` when `program` cannot be found.
    public init(program: String, arguments: [String] = [], timeout: Double = 600) throws {
        do {
            self.program = try ExternalProgram(program)
        } catch {
            throw PipelineError.invalidReward(specification: "command", reason: "--reward-command: \(error)")
        }
        self.arguments = arguments
        self.timeout = timeout
    }

    public var name: String { "command(\(program.name))" }
    public var dependsOnGraphOnly: Bool { false }

    public func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        Self.run(program, arguments: arguments, timeout: timeout, count: molecules.count,
                 lines: { molecules.enumerated().map { MoleculeLine(index: $0, molecule: $1).text() } },
                 files: { directory, arguments in
                     guard arguments.contains(where: { $0.contains("{sdf}") }) else { return arguments }
                     let sdf = directory + "/molecules.sdf"
                     try Molecule.write(molecules, to: sdf, format: .sdf)
                     return arguments.map { $0.replacingOccurrences(of: "{sdf}", with: sdf) }
                 })
    }

    /// Runs `program` on a batch of `count` samples of any kind: `lines` are the batch's JSON
    /// lines for standard input, `files` writes what the arguments' placeholders name into the
    /// scratch directory and returns the arguments with them replaced. One outcome per sample;
    /// what fails the batch (the program, a file) fails every sample with its reason.
    static func run(_ program: ExternalProgram, arguments: [String], timeout: Double, count: Int, lines: () -> [String],
                    files: (String, [String]) throws -> [String]) -> [RewardOutcome] {
        guard count > 0 else { return [] }
        do {
            return try ScratchDirectory.with(prefix: "rgdm-reward-command") { directory in
                let input = directory + "/samples.jsonl"
                try Data((lines().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: input))
                let arguments = try files(directory, arguments)
                let output = directory + "/answers.txt", error = directory + "/stderr.txt"
                let ending = try program.run(arguments, input: input, output: output, error: error, timeout: timeout)
                let answers = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                return outcomes(ending, answers: answers, error: ExternalProgram.lastLine(of: error), count: count,
                                program: program.name, timeout: timeout)
            }
        } catch let failure as RewardFailure {
            return Array(repeating: .failure(failure), count: count)
        } catch {
            return Array(repeating: .failure(.failed("\(program.name): \(error)")), count: count)
        }
    }

    /// Per sample, what a run of `program` (limited to `timeout` s) that ended with `ending` and printed `answers` gives.
    static func outcomes(_ ending: ExternalProgram.Ending, answers: String, error: String?, count: Int, program name: String,
                         timeout: Double) -> [RewardOutcome] {
        let failure: RewardFailure? = switch ending {
        case .timedOut: .timedOut(program: name, seconds: timeout)
        case let .signalled(signal): .crashed(program: name, reason: "killed by signal \(signal)" + (error.map { ": \($0)" } ?? ""))
        case let .exceededMemory(bytes): .crashed(program: name, reason: "used more than \(bytes >> 20) MiB of memory")
        case let .exited(status) where status != 0: .crashed(program: name, reason: "exit status \(status)" + (error.map { ": \($0)" } ?? ""))
        case .exited: nil
        }
        if let failure { return Array(repeating: .failure(failure), count: count) }
        return Self.parse(answers, count: count, program: name)
    }

    /// One outcome per sample from the lines of `answers` (a final newline is optional;
    /// lines past `count` are ignored).
    static func parse(_ answers: String, count: Int, program: String) -> [RewardOutcome] {
        var lines = answers.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return (0..<count).map { i in
            guard i < lines.count else { return .failure(.missingAnswer(program: program)) }
            let text = lines[i].trimmingCharacters(in: .whitespacesAndNewlines)
            guard let value = Double(text) else {
                return .failure(.unreadableAnswer(program: program, answer: String(text.prefix(80))))
            }
            return value.isFinite ? .success(value) : .failure(.notFinite(value))
        }
    }
}
