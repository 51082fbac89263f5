import Foundation

/// Wall-clock seconds a fine-tuning run spends in each phase: drawing molecules (`sampling`),
/// scoring them (`scoring`) and optimiser steps (`training`), gathered between two round lines
/// of the log and handed to the round's summary by `lap()` as `sampling_seconds`,
/// `scoring_seconds` and `training_seconds`.
///
/// What a round line's figures cover:
/// - rgdm, raft, ddpo: a round's line is written once its pool is drawn and scored, before the
///   steps on it, so its `sampling_seconds` and `scoring_seconds` are that pool's and its
///   `training_seconds` the optimiser steps since the previous line, i.e. the steps on the
///   previous round's pool (0 on a session's first line). The last pool's steps are in the
///   closing `timing` line's totals.
/// - best-of-n: the pool's sampling and scoring; training 0.
/// - rgdm-step: the evaluation pool's sampling and scoring, and the steps since the previous
///   evaluation in `training_seconds`; the reward of the steps' exploratory draws, part of that,
///   also in `step_scoring_seconds`.
///
/// Time a pool's drawing or scoring took inside a step (`step(_:)`) is not counted as training.
/// Timing reads the clock only: it changes no result.
final class RoundClock {
    enum Phase: String, CaseIterable {
        case sampling, scoring, training
        /// Scoring inside optimiser steps (step-level RGDM's exploratory draws): part of `training`.
        case stepScoring = "step_scoring"

        /// The phase's key in round summaries and log lines.
        var key: String { rawValue + "_seconds" }
    }

    private var sinceLap: [Phase: Double] = [:]
    /// Seconds of each phase this session.
    private(set) var total: [Phase: Double] = [:]
    /// Inside `step(_:)`: when the step began, and the pool drawing and scoring measured in it so far.
    private var stepStart: Double?
    private var poolSecondsInStep = 0.0
    private let now: () -> Double

    init(now: @escaping () -> Double = { ResourceUsage.now }) {
        self.now = now
    }

    func add(_ seconds: Double, to phase: Phase) {
        sinceLap[phase, default: 0] += seconds
        total[phase, default: 0] += seconds
        if phase == .sampling || phase == .scoring { poolSecondsInStep += seconds }
    }

    /// Runs `body`, counting its seconds as `phase`.
    func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = now()
        defer { add(now() - start, to: phase) }
        return try body()
    }

    /// Counts the time since the current step began, less the pool phases already measured in
    /// it, as sampling: for a method that draws its chains inside a step and then hands them to
    /// its reward (DDPO). Outside a step it does nothing.
    func samplingEndsNow() {
        guard let stepStart else { return }
        add(now() - stepStart - poolSecondsInStep, to: .sampling)
    }

    /// Runs one optimiser step: its seconds, less the pool drawing and scoring inside it, are training.
    func step<T>(_ body: () throws -> T) rethrows -> T {
        let start = now()
        stepStart = start
        poolSecondsInStep = 0
        defer {
            add(now() - start - poolSecondsInStep, to: .training)
            stepStart = nil
        }
        return try body()
    }

    /// The seconds since the last lap as summary keys (sampling, scoring and training always,
    /// step scoring when there was some), and starts the next lap.
    func lap() -> [String: Double] {
        defer { sinceLap = [:] }
        return Self.keys(sinceLap)
    }

    /// The session's totals as summary keys.
    var totals: [String: Double] { Self.keys(total) }

    /// The closing log line of a session: `{"event": "timing", "step", "seconds", and `totals`}`.
    static func line(_ totals: [String: Double], step: Int, seconds: Double) -> [String: Any] {
        var line: [String: Any] = ["event": "timing", "step": step, "seconds": seconds]
        for (key, value) in totals { line[key] = value }
        return line
    }

    private static func keys(_ seconds: [Phase: Double]) -> [String: Double] {
        var keys: [String: Double] = [:]
        for phase in Phase.allCases where phase != .stepScoring || seconds[phase] != nil {
            keys[phase.key] = seconds[phase] ?? 0
        }
        return keys
    }
}
