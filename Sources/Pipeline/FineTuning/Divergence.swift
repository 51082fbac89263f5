import Diffusion
import Foundation

/// The error a training or fine-tuning run ends with when a step's loss is not finite (the run
/// diverged): the reason, what to change, and what the run folder still holds (fine-tuning: every
/// round finished, the best samples and the last checkpoint, saved at least once a round).
enum Divergence {
    static func error(step: Int, loss: Double, method: FineTuneMethod, directory: RunDirectory) -> PipelineError {
        let saved = (try? directory.loadCheckpoint().state.step).map { "checkpoint.rgdm holds step \($0)" } ?? "no checkpoint was saved"
        return .invalidRun(path: directory.url.path, reason: """
            training step \(step) produced a non-finite loss (\(loss)): the run diverged; lower --learning-rate\
            \(method == .ddpo ? " or --ppo-clip" : ""). The rounds so far are in log.jsonl and report.html, the best \
            samples beside them; \(saved)
            """)
    }

    /// `rgdm train`: the step's update was not applied, so the last checkpoint is a finite model
    /// the same command resumes from.
    static func training(step: Int, loss: Double, directory: RunDirectory) -> PipelineError {
        let saved = (try? directory.loadCheckpoint().state.step).map { "checkpoint.rgdm holds step \($0)" } ?? "no checkpoint was saved"
        return .invalidRun(path: directory.url.path, reason: """
            training step \(step) produced a non-finite loss (\(loss)): the run diverged; lower --learning-rate \
            (and keep EDM's gradient clipping on). The losses so far are in log.jsonl; \(saved), which the same command resumes from
            """)
    }
}
