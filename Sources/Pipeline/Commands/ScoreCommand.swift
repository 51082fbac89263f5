import ArgumentParser
import Chem
import Foundation

/// `rgdm score FILE… --reward SPEC [-o OUT.sdf|OUT.tsv]`: a reward on the molecules or shapes of files.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score molecules or shapes with a reward; print the mean, the best tenth and the failures.",
        discussion: """
        FILE is any format Open Babel reads (by extension or --format) or a qm9pack CSV file. \
        Bonds come from the 3D coordinates (EDM's distance table), as for generated molecules. \
        With -o, every molecule is written to an SDF file with its reward in the SD field \
        '\(MoleculeScoring.rewardField)' (or why it has none in '\(MoleculeScoring.failureField)'), \
        and in '\(MoleculeScoring.flooredField)' the reward a fine-tuning run would use: the reward, \
        or --reward-floor for a failure (a finite label for every molecule, as a surrogate reward \
        model trained with rgdm preprocess --property \(MoleculeScoring.flooredField) and rgdm \
        train-property needs). A shape reward (class, chamfer, aspect, symmetry) scores point-cloud \
        and mesh files instead (.h5 sets, .ply, .xyz, .pts, .obj, .off, .stl; a command reward too when \
        every file is .h5, .ply, .pts, .off or .stl); -o then writes a TSV of each shape's reward.
        """
    )

    @Argument(help: "Molecule (or shape) files to score.")
    var files: [String]

    @Option(help: "Input format name when the extension does not say (sdf, xyz, smi…).")
    var format: String?

    @Option(name: .shortAndLong, help: "An SDF file to write the molecules to, each with its reward (shapes: a TSV file of the rewards).")
    var output: String?

    @OptionGroup var rewards: RewardOptions
    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE") }
        if rewards.reward == nil { throw ValidationError("give the reward with --reward SPEC") }
        if let output, scoresShapes, !OutputFile(path: output).hasExtension(in: ["tsv"]) {
            throw ValidationError("--output must end in .tsv for shapes")
        }
        if let output, !scoresShapes, !OutputFile(path: output).hasExtension(in: ["sdf"]) { throw ValidationError("--output must end in .sdf") }
    }

    func run() throws {
        if scoresShapes { return try runShapes() }
        guard var scorer = try rewards.makeScorer(workers: options.workerCount) else { return }
        let scoring = MoleculeScoring(files: files, format: format.map(MoleculeFormat.init))
        var progress = ProgressLine(label: "score", total: nil)
        let summary = try scoring.run(&scorer, output: output,
                                      reject: { FileHandle.standardError.write(Data("score: \($0)\n".utf8)) },
                                      progress: { progress.show(.done($0)) })
        progress.show(.finished(rejected: nil))
        let ledger = summary.ledger
        let number = { (value: Double?) in value.map { String(format: "%.4f", $0) } ?? "n/a" }
        print("reward       \(scorer.reward.name)")
        print("molecules    \(ledger.evaluations)" + (summary.unreadable > 0 ? " (\(summary.unreadable) unreadable records skipped)" : ""))
        print("mean         \(number(summary.mean))  (over \(summary.rewards.count) scored)")
        print("top 10 %     \(number(summary.topTenthMean))")
        if let best = summary.best { print("best         \(number(best.reward))  \(best.title)") }
        print("failures     \(ledger.failureCount) (\(ledger.failureSummary))")
        print("cache hits   \(ledger.cacheHits)")
        if let output { print("wrote        \(output)") }
    }
}
