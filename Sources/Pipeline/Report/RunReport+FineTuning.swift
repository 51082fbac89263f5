import Diffusion
import Foundation

extension RunReport {
    /// The report of a fine-tuning run: the reward per round (mean and top 10 %) with validity,
    /// uniqueness and novelty, the reward budget spent, and the best molecules found.
    /// - Parameters:
    ///   - learningRate: nil for best-of-N, which never trains.
    ///   - timing: this session's seconds by phase (`RoundClock.totals`).
    static func fineTuning(name: String, method: FineTuneMethod, card: ModelCard, steps: Int, learningRate: Double?,
                           seconds: Double, interrupted: Bool, reward ledger: RewardLedger,
                           rounds: [[String: Double]], best: [MoleculeRewardSession.Candidate],
                           timing: [String: Double] = [:]) -> RunReport {
        var report = RunReport(
            title: "rgdm fine-tuning run: \(name)",
            summary: "\(method.rawValue) toward \(ledger.reward) from \(card.initializedFrom ?? "the base model"); \(steps) steps, \(ledger.evaluations) reward evaluations; \(interrupted ? "interrupted" : "finished") after \(Int(seconds)) s this session.")
        report.tables = [
            Table(title: "Run", rows: [("method", method.rawValue), ("reward", ledger.reward), ("steps", "\(steps)"),
                                       ("learning rate", learningRate.map { "\($0)" } ?? "– (no training)"),
                                       ("reward evaluations", "\(ledger.evaluations) (cache hits \(ledger.cacheHits))"),
                                       ("failures", ledger.failureSummary)] + card.modelRows),
            Table(title: "Rounds", rows: rounds.map { round in
                (String(format: "round %.0f", round["round"] ?? 0),
                 String(format: "reward %.4f, top 10%% %.4f, validity %.3f, uniqueness %.3f, novelty %@, diversity %.3f, distance %.4f",
                        round["reward_mean"] ?? .nan, round["reward_top10_mean"] ?? .nan, round["validity"] ?? .nan,
                        round["uniqueness"] ?? .nan, round["novelty"].map { String(format: "%.3f", $0) } ?? "–",
                        round["diversity"] ?? .nan, round["distance_to_base"] ?? .nan) + Self.roundTiming(round))
            }),
            Table(title: "Best molecules (best.sdf)", rows: best.prefix(20).map { ($0.smiles ?? "invalid", String(format: "%.4f (round %d)", $0.reward, $0.round)) }),
        ]
        report.figures = [
            Self.rewardPerRound(rounds),
            Figure(caption: "Sample quality per round", svg: SVGLineChart(
                title: "validity, uniqueness, novelty", xLabel: "round", yLabel: "share",
                series: [Self.roundSeries(rounds, "validity", "validity", "#2ca02c"),
                         Self.roundSeries(rounds, "uniqueness", "uniqueness", "#9467bd"),
                         Self.roundSeries(rounds, "novelty", "novelty", "#8c564b")]).render()),
        ]
        report.json = [
            "kind": "finetune", "method": method.rawValue, "reward": ledger.reward, "steps": steps,
            "reward_evaluations": ledger.evaluations, "cache_hits": ledger.cacheHits, "failures": ledger.failures,
            "rounds": rounds, "seconds_this_session": seconds, "seconds_by_phase": timing, "interrupted": interrupted,
            "best": best.prefix(100).map { ["smiles": $0.smiles.map { $0 as Any } ?? NSNull(), "reward": $0.reward, "round": $0.round] as [String: Any] },
        ]
        return report
    }

    /// A round's seconds by phase, when the round has them (runs before timing was logged do not).
    private static func roundTiming(_ round: [String: Double]) -> String {
        guard let sampling = round["sampling_seconds"], let scoring = round["scoring_seconds"],
              let training = round["training_seconds"] else { return "" }
        return String(format: "; %.1f s sampling, %.1f s scoring, %.1f s training", sampling, scoring, training)
    }

    /// One value of the round summaries against the round number, for a chart.
    static func roundSeries(_ rounds: [[String: Double]], _ key: String, _ name: String, _ colour: String) -> SVGLineChart.Series {
        .init(name: name, points: rounds.compactMap { r in r[key].map { (x: r["round"] ?? 0, y: $0) } }, colour: colour)
    }

    /// The chart every fine-tuning report opens with: the mean and top-10 % reward per round.
    static func rewardPerRound(_ rounds: [[String: Double]]) -> Figure {
        Figure(caption: "Reward per round", svg: SVGLineChart(
            title: "reward", xLabel: "round", yLabel: "reward",
            series: [roundSeries(rounds, "reward_mean", "mean", "#1f77b4"),
                     roundSeries(rounds, "reward_top10_mean", "top 10 %", "#d62728")]).render())
    }
}
