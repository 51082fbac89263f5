import ArgumentParser
import Chem
import Foundation

/// The reward options `rgdm finetune`, `rgdm sample --reward` and `rgdm score` share.
struct RewardOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The reward: a term, a weighted sum, target(REWARD, VALUE) or window(REWARD, LOWER, UPPER).",
                               discussion: RewardOptions.termHelp, valueName: "spec"),
            transform: { try RewardSpecification(parsing: $0) })
    var reward: RewardSpecification?

    @Option(help: ArgumentHelp("The program the 'command' reward runs: it reads molecules as JSON lines on stdin and prints one number per line.",
                               valueName: "program"))
    var rewardCommand: String?

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("An argument for --reward-command (repeat for more; {sdf} is replaced by an SDF file of the batch).",
                               valueName: "arg"))
    var rewardArg: [String] = []

    @Option(help: "Seconds the reward command has for one batch.")
    var rewardTimeout: Double = 600

    @Option(help: ArgumentHelp("The shape classifier of class(CATEGORY) rewards (rgdm train-property on a shape set).", valueName: "model"))
    var rewardClassifier: String?

    @Option(help: "Seconds xtb has for one molecule.")
    var xtbTimeout: Double = 60

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The reward of a sample that could not be scored: a number, or 'min' for the lowest reward of its batch.",
                               valueName: "value|min"))
    var rewardFloor: RewardFloor = .default

    @Flag(help: "Score every molecule, even one whose graph-only reward was scored before in this run.")
    var noRewardCache = false

    static let termHelp = "Terms: " + RewardTerm.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")
        + "; " + ShapeRewardTerm.summary
        + ". target(R, a) is −|R − a|; window(R, lo, hi) is 1 inside [lo, hi], 1 − d/(hi − lo) at distance d outside;"
        + " mw-window(lo, hi) is window(mw, lo, hi). Weights multiply terms: \"0.5*qed + 0.5*validity\"; put spaces around '-'."

    func validate() throws {
        if let reward {
            if reward.terms.contains(.command) && rewardCommand == nil {
                throw ValidationError("the 'command' reward needs --reward-command PROG")
            }
            if !reward.terms.contains(.command) && rewardCommand != nil {
                throw ValidationError("--reward-command is used only by the 'command' reward; add it to --reward")
            }
        } else if rewardCommand != nil || !rewardArg.isEmpty {
            throw ValidationError("--reward-command needs --reward command")
        }
        if !rewardArg.isEmpty && rewardCommand == nil { throw ValidationError("--reward-arg needs --reward-command") }
        if !(rewardTimeout > 0) { throw ValidationError("--reward-timeout must be more than 0 seconds (got \(rewardTimeout))") }
        if !(xtbTimeout > 0) { throw ValidationError("--xtb-timeout must be more than 0 seconds (got \(xtbTimeout))") }
    }

    /// The settings the rewards are built with; `workers` processes at a time, Open Babel
    /// rewards in worker processes of this executable when `workers` > 1.
    func settings(workers: Int) -> RewardSettings {
        var settings = RewardSettings(command: rewardCommand, commandArguments: rewardArg, commandTimeout: rewardTimeout,
                                      xtbTimeout: xtbTimeout, parallelism: workers,
                                      workerExecutable: workers > 1 ? ShardWorkers.executable : nil)
        settings.classifier = rewardClassifier
        return settings
    }

    /// The scoring session for `--reward` (nil without one). Throws `PipelineError.invalidReward`
    /// when a program it needs is missing.
    func makeScorer(workers: Int) throws -> RewardScorer<Molecule>? {
        guard let reward else { return nil }
        return RewardScorer(reward: try reward.makeReward(settings(workers: workers)), floor: rewardFloor, caching: !noRewardCache)
    }
}
