import Diffusion
import Foundation

/// A fine-tuning method's steps with the reward session beside them: the checkpoint's
/// `runState` holds both (the method's rounds or generator, the reward ledger and cache, the
/// best candidates and the round summaries), so a resumed run continues exactly. Methods
/// without rounds of their own (step-level RGDM) get an evaluation pool every
/// `evaluateEvery` steps, scored by a separate session so it does not spend the budget.
/// `clock` times the steps and the evaluation pools (`RoundClock`).
struct FineTuneSteps<Method: TrainingSteps, Session: FineTuneSession>: TrainingSteps {
    struct Saved: Codable {
        var method: String?
        var session: Session.Saved
        var evaluation: Session.Saved?
    }

    var method: Method
    let session: Session
    /// Step-level methods: how often, and with what, to draw and score an evaluation pool.
    let evaluation: (every: Int, session: Session, draw: (Trainer) throws -> [SampleResult])?
    let distance: (Trainer) -> Double
    let onRound: ([String: Double]) throws -> Void
    let clock: RoundClock

    var graphsPerStep: Int { method.graphsPerStep }
    var nodeCounts: NodeCountDistribution? { method.nodeCounts }

    mutating func step(_ trainer: Trainer) throws -> TrainingStepReport {
        let report = try clock.step { try method.step(trainer) }
        if let evaluation, report.step % evaluation.every == 0 {
            let samples = try clock.measure(.sampling) { try evaluation.draw(trainer) }
            _ = try clock.measure(.scoring) { try evaluation.session.scoreSamples(samples) }
            try onRound(evaluation.session.finishRound(report.step / evaluation.every, samples: samples,
                                                       rewards: evaluation.session.lastRewards, distance: distance(trainer),
                                                       timing: clock.lap()))
        }
        return report
    }

    func runState() throws -> String? {
        let saved = Saved(method: try method.runState(), session: session.saved, evaluation: evaluation?.session.saved)
        return String(decoding: try JSONEncoder().encode(saved), as: UTF8.self)
    }

    /// The saved state of a checkpoint's `runState`, restored into the sessions; returns the method's own.
    static func restore(_ runState: String?, session: Session, evaluation: Session?,
                        path: String) throws -> String? {
        guard let runState else { return nil }
        let saved: Saved
        do {
            saved = try JSONDecoder().decode(Saved.self, from: Data(runState.utf8))
        } catch {
            throw PipelineError.invalidRun(path: path, reason: "its fine-tuning state is unreadable: \(error)")
        }
        try session.restore(saved.session)
        if let evaluation, let state = saved.evaluation { try evaluation.restore(state) }
        return saved.method
    }
}
