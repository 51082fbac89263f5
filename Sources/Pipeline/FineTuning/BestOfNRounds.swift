import Diffusion
import Foundation

/// Best-of-N's rounds, the same for molecules and shapes: pools from the base model, round k
/// drawn with its own seed, scored and summarised as fine-tuning rounds are, never trained. The
/// session is saved after each round (`best-of-n.json`, atomically), so a rerun continues
/// exactly where Ctrl-C stopped it.
struct BestOfNRounds<Session: FineTuneSession> {
    /// What a best-of-N run keeps between sessions: the reward session after its last round.
    private struct State: Codable {
        var session: Session.Saved
    }

    let session: Session
    let stateURL: URL

    /// `session`, restored from `directory`'s saved state when there is one; an unreadable
    /// state throws naming its file.
    init(session: Session, directory: RunDirectory) throws {
        self.session = session
        stateURL = directory.url.appendingPathComponent("best-of-n.json")
        guard FileManager.default.fileExists(atPath: stateURL.path) else { return }
        do {
            try session.restore(try JSONDecoder().decode(State.self, from: Data(contentsOf: stateURL)).session)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.invalidRun(path: stateURL.path, reason: "its best-of-N state is unreadable: \(error)")
        }
    }

    /// Runs the rounds after the last saved one through `rounds`: `draw(seed)` gives round k's
    /// pool for seed `seed` ^ k·φ; each round's summary goes to `log`, and the state is saved when
    /// `saves` (rank 0 of a job). Returns whether `stopRequested` ended the run early.
    func run(rounds: Int, seed: UInt64, log: JSONLinesLog, clock: RoundClock, saves: Bool, stopRequested: () -> Bool,
             draw: (UInt64) throws -> [SampleResult]) throws -> Bool {
        for round in stride(from: session.rounds.count + 1, through: rounds, by: 1) {
            if stopRequested() { return true }
            let samples = try clock.measure(.sampling) { try draw(seed ^ UInt64(round) &* 0x9E37_79B9_7F4A_7C15) }
            _ = try clock.measure(.scoring) { try session.scoreSamples(samples) }
            var line: [String: Any] = ["event": "round", "step": 0]
            for (key, value) in session.finishRound(round, samples: samples, rewards: session.lastRewards, distance: 0,
                                                    timing: clock.lap()) {
                line[key] = value
            }
            try log.append(line)
            guard saves else { continue }
            try JSONEncoder().encode(State(session: session.saved)).write(to: stateURL, options: .atomic)
        }
        return false
    }
}
