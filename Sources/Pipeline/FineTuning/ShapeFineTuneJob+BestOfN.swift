import Diffusion
import Foundation

extension ShapeFineTuneJob {
    private struct BestOfNState: Codable {
        var session: ShapeRewardSession.Saved
    }

    /// Best-of-N for shapes, the budget's yardstick: `--rounds` pools of `--pool` shapes from the
    /// base model (latents from its prior, decoded), scored and summarised as the fine-tuning
    /// rounds are, never trained; resumable by round as the molecule runs' best-of-N.
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
        try directory.recordInvocation(command: "finetune", step: session.rounds.count)
        let log = try directory.openLog()
        let start = Date(), clock = RoundClock()
        let sizes = try NodeCountDistribution(observedCounts: [1])
        var interrupted = false
        for round in stride(from: session.rounds.count + 1, through: command.rounds, by: 1) {
            if Interruption.requested { interrupted = true; break }
            var generator = Xoshiro256StarStar(seed: command.global.seed ^ UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
            let latents = try clock.measure(.sampling) {
                try prior.sample(count: command.pool, batchSize: command.poolBatch, nodeCounts: sizes, condition: [],
                                 parameters: base.parameters, sampling: session.sampling, using: &generator, progress: { _ in })
            }
            _ = try clock.measure(.scoring) { try session.scoreSamples(latents) }
            var line: [String: Any] = ["event": "round", "step": 0]
            for (key, value) in session.finishRound(round, samples: latents, rewards: session.lastRewards, distance: 0,
                                                    timing: clock.lap()) {
                line[key] = value
            }
            try log.append(line)
            try JSONEncoder().encode(BestOfNState(session: session.saved)).write(to: stateURL, options: .atomic)
        }
        try log.append(RoundClock.line(clock.totals, step: 0, seconds: Date().timeIntervalSince(start)))
        try writeBest(session, to: directory)
        var card = base.card
        card.initializedFrom = command.model
        try RunReport.shapeFineTuning(name: directory.name, method: .bestOfN, card: card, steps: 0, learningRate: nil,
                                      seconds: Date().timeIntervalSince(start), interrupted: interrupted,
                                      reward: session.scorer.ledger, rounds: session.rounds, best: session.best,
                                      timing: clock.totals).write(base: directory.reportBase)
        let last = session.rounds.last
        return String(format: "%@: round %d of %d, %d reward evaluations, best tenth found %.4f, last round's mean reward %.4f%@; %@",
                      interrupted ? "interrupted; run the same command to resume" : "done", session.rounds.count, command.rounds,
                      session.scorer.ledger.evaluations, last?["found_top10_mean"] ?? .nan, last?["reward_mean"] ?? .nan,
                      last?["class_share"].map { String(format: ", class share %.3f", $0) } ?? "", directory.url.path)
    }
}
