import Diffusion
import Foundation

extension FineTuneJob {
    /// Best-of-N, the budget's yardstick: `--rounds` pools of `--pool` molecules from the base
    /// model, scored and summarised as the fine-tuning methods' rounds are, never trained, and
    /// resumable by round (`BestOfNRounds`). Over the ranks of a job each draws and scores its
    /// share of every pool; rank 0 alone writes.
    func bestOfN(directory: RunDirectory, threads: Int) throws -> String {
        try directory.create()
        let session = try makeSession(threads: threads)
        let bestOfN = try BestOfNRounds(session: session, directory: directory)
        let primary = cluster.isPrimary
        if primary { try directory.recordInvocation(command: "finetune", step: session.rounds.count) }
        let pools = try command.sampling.settings(for: .molecules, architecture: base.card.architecture,
                                                  timesteps: base.card.timesteps)
        let log = primary ? try directory.openLog() : JSONLinesLog(discardingAs: directory.logURL)
        let start = Date(), clock = RoundClock()
        let interrupted = try bestOfN.run(rounds: command.rounds, seed: command.global.seed, log: log, clock: clock, saves: primary,
                                          stopRequested: { cluster.stopRequested(Interruption.requested) }) { seed in
            try poolDraw.draw(count: command.pool, seed: seed) { count, generator in
                try base.sample(count: count, batchSize: count, sampling: pools, using: &generator)
            }
        }
        try log.append(RoundClock.line(clock.totals, step: 0, seconds: Date().timeIntervalSince(start)))
        guard primary else { return "" }
        try MoleculeDecoding.write(session.bestMolecules(), to: directory.url.appendingPathComponent("best.sdf").path)
        var card = base.card
        card.initializedFrom = command.model
        try RunReport.fineTuning(name: directory.name, method: .bestOfN, card: card, steps: 0, learningRate: nil,
                                 seconds: Date().timeIntervalSince(start), interrupted: interrupted,
                                 reward: session.scorer.ledger, rounds: session.rounds, best: session.best, timing: clock.totals)
            .write(base: directory.reportBase)
        let last = session.rounds.last
        return String(format: "%@: round %d of %d, %d reward evaluations, best tenth found %.4f, last round's mean reward %.4f; %@",
                      interrupted ? "interrupted; run the same command to resume" : "done", session.rounds.count,
                      command.rounds, session.scorer.ledger.evaluations, last?["found_top10_mean"] ?? .nan,
                      last?["reward_mean"] ?? .nan, directory.url.path)
    }
}
