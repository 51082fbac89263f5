import ArgumentParser
import Foundation

extension TrainPropertyCommand {
    /// A model of a latent point model's shape latents (--noise-aware --guides MODEL on a shape
    /// set): an MLP f(z_t, t) on the frozen encoder's latents, noised by the prior's forward process.
    func trainLatentPropertyModel() throws {
        guard let guides else {
            throw ValidationError("--noise-aware on a shape set models a latent point model's latents: name the model with --guides MODEL")
        }
        let model = try TrainedModel(path: guides, threads: global.workerCount, useEMA: true)
        var job = LatentPropertyTraining(dataset: dataset, property: property, output: destination.output, guides: model)
        job.limit = limit
        let start = Date()
        var progress: ProgressLine?
        let outcome = try job.train(pointNet.latentSettings(seed: global.seed, training: network), progress: { report, target, loss in
            if progress == nil { progress = ProgressLine(label: "train-property", total: target - report.step + 1) }
            progress?.advance(extra: String(format: "step %d loss %.4f", report.step, loss))
        })
        progress?.finish()
        let seconds = Date().timeIntervalSince(start)
        try RunReport.latentPropertyModel(outcome.card, output: destination.output, step: outcome.step, seconds: seconds)
            .write(base: URL(fileURLWithPath: destination.file.sidecar(.report)))
        let record = URL(fileURLWithPath: destination.file.sidecar(.runRecord))
        try RunRecord(command: "train-property").write(into: record.deletingLastPathComponent(), name: record.lastPathComponent)
        print("\(outcome.card.task.propertyName): \(outcome.card.modelDescription) → \(destination.output)")
        if outcome.interrupted {
            print("interrupted at step \(outcome.step); run the same command to resume")
        } else {
            for line in outcome.card.scores?.summaries ?? [] { print(line + " (clean latents, t = 0)") }
            if case let .classification(scores) = outcome.card.scores {
                for score in scores { print(Self.confusionTable(score)) }
            }
        }
    }
}
