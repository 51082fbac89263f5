import Diffusion

/// The loop of the supervised trainers (EGNN property models, shape classifiers and regressors):
/// steps until the run reaches `target`, a log line of the mean loss every `logEvery` steps (and
/// at the target), a checkpoint every `checkpointEvery`; `shouldStop` is asked before every step,
/// `progress` told each step's report, the target and the mean recent loss. The caller saves
/// at the end (after scoring, when the run finished).
struct SupervisedTrainingLoop {
    var target: Int
    var logEvery: Int
    var checkpointEvery: Int
    var log: JSONLinesLog

    /// Runs `step` while `currentStep() < target`; true when `shouldStop` ended it early.
    func run(currentStep: () -> Int, step: () throws -> TrainingStepReport, recentLosses: () -> [Double],
             save: () throws -> Void, shouldStop: () -> Bool,
             progress: (TrainingStepReport, Int, Double) -> Void) throws -> Bool {
        var lossSinceLog = 0.0, stepsSinceLog = 0
        while currentStep() < target {
            if shouldStop() { return true }
            let report = try step()
            lossSinceLog += report.loss
            stepsSinceLog += 1
            if report.step % logEvery == 0 || report.step == target {
                try log.append(["step": report.step, "epoch": report.epoch, "loss": lossSinceLog / Double(stepsSinceLog),
                                "gradient_norm": report.gradientNorm, "clipped": report.clipped])
                lossSinceLog = 0
                stepsSinceLog = 0
            }
            let recent = recentLosses()
            progress(report, target, recent.reduce(0, +) / Double(max(recent.count, 1)))
            if report.step % checkpointEvery == 0 { try save() }
        }
        return false
    }
}
