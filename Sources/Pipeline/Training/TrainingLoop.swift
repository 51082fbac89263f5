import Diffusion
import Foundation

/// Runs a `TrainingRun` to a target step with steps from any `TrainingSteps`:
/// a checkpoint every `checkpointEvery` steps, at the end and when `shouldStop`
/// says so (Ctrl-C); a log line every `logEvery` steps (mean loss and its named
/// terms, gradient norm, throughput); `progress` after every step. It prints nothing.
public struct TrainingLoop {
    public var checkpointEvery: Int
    public var logEvery: Int
    /// Asked before every step; true saves and stops.
    public var shouldStop: () -> Bool
    /// Told every step's report and the mean of the recent losses.
    public var progress: (TrainingStepReport, Double) -> Void

    public init(checkpointEvery: Int, logEvery: Int = 10, shouldStop: @escaping () -> Bool = { Interruption.requested },
                progress: @escaping (TrainingStepReport, Double) -> Void = { _, _ in }) {
        precondition(checkpointEvery >= 1 && logEvery >= 1, "checkpoint every \(checkpointEvery), log every \(logEvery)")
        self.checkpointEvery = checkpointEvery
        self.logEvery = logEvery
        self.shouldStop = shouldStop
        self.progress = progress
    }

    /// What `run` reports when it returns.
    public struct Outcome: Sendable {
        public var stepsTaken: Int
        public var interrupted: Bool
        public var seconds: Double
        public var meanRecentLoss: Double
    }

    /// Trains `run` until `targetStep` optimiser steps in total.
    public func run(_ run: TrainingRun, steps source: inout some TrainingSteps, until targetStep: Int) throws -> Outcome {
        let trainer = run.trainer
        let start = Date(), firstStep = run.step
        var graphsSinceLog = 0, lossSinceLog = 0.0, stepsSinceLog = 0
        var termsSinceLog: [String: Double] = [:]
        var lastLog = Date()
        var interrupted = false
        while run.step < targetStep {
            if shouldStop() { interrupted = true; break }
            let report = try source.step(trainer)
            graphsSinceLog += source.graphsPerStep
            lossSinceLog += report.loss
            stepsSinceLog += 1
            for term in trainer.model.lastLossTerms { termsSinceLog[term.name, default: 0] += term.value }
            if report.step % logEvery == 0 || report.step == targetStep {
                let now = Date()
                var line: [String: Any] = [
                    "step": report.step, "epoch": report.epoch,
                    "loss": lossSinceLog / Double(stepsSinceLog),
                    "gradient_norm": report.gradientNorm, "clipped": report.clipped,
                    "graphs_per_second": Double(graphsSinceLog) / max(now.timeIntervalSince(lastLog), 1e-9),
                    "elapsed_seconds": now.timeIntervalSince(start),
                ]
                for (name, sum) in termsSinceLog { line[name] = sum / Double(stepsSinceLog) }
                try run.log.append(line)
                graphsSinceLog = 0; lossSinceLog = 0; stepsSinceLog = 0; lastLog = now
                termsSinceLog.removeAll(keepingCapacity: true)
            }
            progress(report, run.meanRecentLoss)
            if report.step % checkpointEvery == 0 { try run.saveCheckpoint(runState: source.runState(), nodeCounts: source.nodeCounts) }
        }
        try run.saveCheckpoint(runState: source.runState(), nodeCounts: source.nodeCounts)
        return Outcome(stepsTaken: run.step - firstStep, interrupted: interrupted,
                       seconds: Date().timeIntervalSince(start), meanRecentLoss: run.meanRecentLoss)
    }
}
