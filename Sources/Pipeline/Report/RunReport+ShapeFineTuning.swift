import Foundation

extension RunReport {
    /// The report of a shape model's fine-tuning run (`rgdm finetune` on a latent point model):
    /// the run's settings, each round's reward and class share, the best shapes as pictures. Its
    /// JSON has the keys of the molecule runs' report (`kind` "finetune", `rounds`), so `rgdm
    /// compare` sets shape runs side by side.
    static func shapeFineTuning(name: String, method: FineTuneMethod, card: ModelCard, steps: Int, learningRate: Double?,
                                seconds: Double, interrupted: Bool, reward ledger: RewardLedger, rounds: [[String: Double]],
                                best: [ShapeRewardSession.Candidate], timing: [String: Double] = [:], tiles: Int = 8) -> RunReport {
        var report = RunReport(
            title: "rgdm fine-tuning run: \(name)",
            summary: "\(method.rawValue) of the latent prior toward \(ledger.reward) from \(card.initializedFrom ?? "the base model") (decoder frozen); \(steps) steps, \(ledger.evaluations) reward evaluations; \(interrupted ? "interrupted" : "finished") after \(Int(seconds)) s this session.")
        report.tables = [
            Table(title: "Run", rows: [("method", method.rawValue), ("reward", ledger.reward), ("steps", "\(steps)"),
                                       ("trained", "the latent prior; encoder and decoder frozen"),
                                       ("learning rate", learningRate.map { "\($0)" } ?? "– (no training)"),
                                       ("reward evaluations", "\(ledger.evaluations)"),
                                       ("failures", ledger.failureSummary)] + card.modelRows),
            Table(title: "Rounds", rows: rounds.map { round in
                (String(format: "round %.0f", round["round"] ?? 0),
                 String(format: "reward %.4f, top 10%% %.4f, max %.4f, class share %@, distance %.4f",
                        round["reward_mean"] ?? .nan, round["reward_top10_mean"] ?? .nan, round["reward_max"] ?? .nan,
                        round["class_share"].map { String(format: "%.3f", $0) } ?? "–", round["distance_to_base"] ?? .nan))
            }),
            Table(title: "Best shapes (best.h5, best.tsv)",
                  rows: best.prefix(20).enumerated().map { ("#\($0.offset + 1)", String(format: "%.4f (round %d)", $0.element.reward, $0.element.round)) }),
        ]
        report.figures = [
            Self.rewardPerRound(rounds),
        ]
        if rounds.contains(where: { $0["class_share"] != nil }) {
            report.figures.append(Figure(caption: "Share of each pool in the reward's class", svg: SVGLineChart(
                title: "class share", xLabel: "round", yLabel: "share", series: [Self.roundSeries(rounds, "class_share", "class share", "#2ca02c")]).render()))
        }
        for (rank, candidate) in best.prefix(tiles).enumerated() {
            let caption = String(format: "#%d reward %.3f (round %d)", rank + 1, candidate.reward, candidate.round)
            report.gallery.append(Figure(caption: caption, svg: SVGPointCloud(positions: candidate.positions, caption: caption).render()))
        }
        report.json = [
            "kind": "finetune", "domain": "shapes", "method": method.rawValue, "reward": ledger.reward, "steps": steps,
            "reward_evaluations": ledger.evaluations, "cache_hits": ledger.cacheHits, "failures": ledger.failures,
            "rounds": rounds, "seconds_this_session": seconds, "seconds_by_phase": timing, "interrupted": interrupted,
            "best": best.map { ["reward": $0.reward, "round": $0.round] as [String: Any] },
        ]
        return report
    }
}
