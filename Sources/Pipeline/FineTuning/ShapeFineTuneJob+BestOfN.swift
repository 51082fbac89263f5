import Diffusion
import Foundation

extension ShapeFineTuneJob {
    /// Best-of-N for shapes, the budget's yardstick: `--rounds` pools of `--pool` shapes from the
    /// base model (latents from its prior, decoded), scored and summarised as the fine-tuning
    /// rounds are, never trained; resumable by round (`BestOfNRounds`).
    func bestOfN(directory: RunDirectory, threads: Int) throws -> String {
        try directory.create()
        let session = try makeSession(threads: threads)
        let bestOfN = try BestOfNRounds(session: session, directory: directory)
        try directory.recordInvocation(command: "finetune", step: session.rounds.count)
        let log = try directory.openLog()
        let start = Date(), clock = RoundClock()
        let sizes = try NodeCountDistribution(observedCounts: [1])
        let interrupted = try bestOfN.run(rounds: command.rounds, seed: command.global.seed, log: log, clock: clock, saves: true,
                                          stopRequested: { Interruption.requested }) { seed in
            var generator = Xoshiro256StarStar(seed: seed)
            return try prior.sample(count: command.pool, batchSize: command.poolBatch, nodeCounts: sizes, condition: [],
                                    parameters: base.parameters, sampling: session.sampling, using: &generator, progress: { _ in })
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
