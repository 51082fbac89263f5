import Diffusion
import Foundation

extension FineTuneJob {
    /// What a best-of-N run keeps between sessions: the reward session after its last round.
    private struct BestOfNState: Codable {
        var session: MoleculeRewardSession.Saved
    }

    /// Best-of-N, the budget's yardstick: `--rounds` pools of `--pool` molecules from the base
    /// model, scored and summarised as the fine-tuning methods' rounds are, never trained. Round k
    /// draws with its own seed, and the session is saved after each round (`best-of-n.json`,
    /// atomically), so a rerun continues exactly where Ctrl-C stopped it. Over the ranks of a job
    /// each draws and scores its share of every pool; rank 0 alone writes.
    func bestOfN(directory: RunDirectory, threads: Int) throws -> String {
        try directory.create()
        let stateURL = directory.url.appendingPathComponent("best-of-n.json")
        let session = try makeSession(threads: threads)
        if FileManager.default.fileExists(atPath: stateURL.path) {
            do {
                try session.restore(try JSONDecoder().decode(BestOfNState.self, from: Data(contentsOf: stateURL)).session)
            } catch let error as PipelineError {
                throw error
            } catch {
                throw PipelineError.invalidRun(path: stateURL.path, reason: "its best-of-N state is unreadable: \(error)")
            }
        }
        let primary = cluster.isPrimary
        if primary { try directory.recordInvocation(command: "finetune", step: session.rounds.count) }
        let pools = try command.sampling.settings(for: .molecules, architecture: base.card.architecture,
                                                  timesteps: base.card.timesteps)
        let log = primary ? try directory.openLog() : JSONLinesLog(discardingAs: directory.logURL)
        let start = Date(), clock = RoundClock()
        var interrupted = false
        for round in stride(from: session.rounds.count + 1, through: command.rounds, by: 1) {
            if cluster.stopRequested(Interruption.requested) { interrupted = true; break }
            let seed = command.global.seed ^ UInt64(round) &* 0x9E37_79B9_7F4A_7C15
            let samples = try clock.measure(.sampling) {
                try poolDraw.draw(count: command.pool, seed: seed) { count, generator in
                    try base.sample(count: count, batchSize: count, sampling: pools, using: &generator)
                }
            }
            _ = try clock.measure(.scoring) { try session.scoreSamples(samples) }
            var line: [String: Any] = ["event": "round", "step": 0]
            for (key, value) in session.finishRound(round, samples: samples, rewards: session.lastRewards, distance: 0,
                                                    timing: clock.lap()) {
                line[key] = value
            }
            try log.append(line)
            guard primary else { continue }
            let encoded = try JSONEncoder().encode(BestOfNState(session: session.saved))
            try encoded.write(to: stateURL, options: .atomic)
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
