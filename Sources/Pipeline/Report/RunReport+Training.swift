import Diffusion
import Foundation

extension RunReport {
    /// The report of a training run: model and training tables and the loss
    /// curve read back from the run's `log.jsonl`.
    static func training(_ run: TrainingRun, outcome: TrainingLoop.Outcome) -> RunReport {
        let card = run.card, configuration = run.trainer.configuration, state = run.trainer.state
        var report = RunReport(
            title: "rgdm training run: \(run.directory.name)",
            summary: "\(card.domain.rawValue) model, \(state.step) steps (\(state.batches.epoch) full epochs) on \(card.dataset) [\(card.split)]; \(outcome.interrupted ? "interrupted" : "finished") after \(Int(outcome.seconds)) s this session.")
        let modelRows = card.modelRows + [
            ("parameters", "\(run.trainer.model.parameterCount)"),
            ("schedule", "\(card.schedule.rawValue), T = \(card.timesteps)"),
        ]
        let trainingRows: [(String, String)] = [
            ("steps", "\(state.step)"), ("epoch", "\(state.batches.epoch)"),
            ("batch size", "\(configuration.batchSize)"),
            ("learning rate", "\(configuration.optimizer.learningRate)"),
            ("EMA decay", "\(configuration.emaDecay)"),
            ("recent loss (last ≤ 100 steps)", String(format: "%.5f", run.meanRecentLoss)),
            ("clipped steps", "\(state.history.clippedSteps)"),
            ("seed", "\(configuration.seed)"),
        ]
        report.tables = [Table(title: "Model", rows: modelRows), Table(title: "Training", rows: trainingRows)]

        let points = Self.lossPoints(log: run.directory.logURL)
        var series = [SVGLineChart.Series(name: "loss (logged mean)", points: points, colour: "#1f77b4")]
        let epochs = state.history.epochMeanLosses
        let stepsPerEpoch = Double(state.batches.datasetSize) / Double(configuration.batchSize)
        if !epochs.isEmpty {
            series.append(.init(name: "epoch mean", points: epochs.enumerated().map { (Double($0 + 1) * stepsPerEpoch, $1) },
                                colour: "#d62728"))
        }
        report.figures = [Figure(caption: "Loss", svg: SVGLineChart(
            title: "training loss", xLabel: "step", yLabel: "loss", series: series, logY: true).render())]
        report.json = [
            "kind": "training", "steps": state.step, "epoch": state.batches.epoch,
            "recent_loss": run.meanRecentLoss, "epoch_mean_losses": epochs,
            "seconds_this_session": outcome.seconds, "interrupted": outcome.interrupted,
            "model": card.summary(parameters: run.trainer.model.parameterCount),
            "loss_curve": points.map { [$0.x, $0.y] },
        ]
        return report
    }

    /// (step, loss) pairs of a JSON-lines training log, by step; unreadable
    /// lines are skipped. A run killed after its last checkpoint logs some
    /// steps again when it resumes: the latest line for a step wins.
    static func lossPoints(log url: URL) -> [(x: Double, y: Double)] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var byStep: [Double: Double] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let step = (object["step"] as? NSNumber)?.doubleValue,
                  let loss = (object["loss"] as? NSNumber)?.doubleValue else { continue }
            byStep[step] = loss
        }
        return byStep.sorted { $0.key < $1.key }.map { (x: $0.key, y: $0.value) }
    }
}
