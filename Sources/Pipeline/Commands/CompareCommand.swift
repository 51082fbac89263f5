import ArgumentParser
import Foundation

/// `rgdm compare RUN… --output BASE`: fine-tuning runs of one reward side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare rgdm finetune runs of one reward: a table and plots against reward evaluations.",
        discussion: """
        Reads each run folder's report.json and first run-*.json, prints a Markdown table of each \
        run's last round (mean and top-10 % reward, the best tenth of the molecules found for the \
        evaluations spent, validity, uniqueness, novelty) and the settings of each run, and writes \
        BASE.html (plots of every round against reward evaluations) and BASE.json.
        """)

    @Argument(help: "Run folders of rgdm finetune (any method, best-of-n included).") var runs: [String]
    @Option(name: .shortAndLong, help: "Report base: writes BASE.html and BASE.json.") var output: String

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run folder") }
    }

    func run() throws {
        let comparison = try FineTuneComparison(runs: runs)
        try comparison.report().write(base: URL(fileURLWithPath: output))
        print(comparison.markdown())
    }
}
