import ArgumentParser
import Foundation

extension TrainPropertyCommand {
    /// A PointNet classifier or regressor on a shape set.
    func trainShapeModel() throws {
        if let architecture, architecture != .pointnet {
            throw ValidationError("\(dataset) is a shape set: its models are --architecture pointnet, not \(architecture.rawValue)")
        }
        if noiseAware { return try trainLatentPropertyModel() }
        if guides != nil { throw ValidationError("--guides on a shape set names the latent point model of a --noise-aware model") }
        var job = ShapeModelTraining(dataset: dataset, property: property, output: destination.output)
        job.limit = limit
        let start = Date()
        var progress: ProgressLine?
        let outcome = try job.train(pointNet.settings(seed: global.seed, training: network), progress: { report, target, loss in
            if progress == nil { progress = ProgressLine(label: "train-property", total: target - report.step + 1) }
            progress?.advance(extra: String(format: "step %d loss %.4f", report.step, loss))
        })
        progress?.finish()
        let seconds = Date().timeIntervalSince(start)
        try RunReport.shapeModel(outcome.card, output: destination.output, step: outcome.step, seconds: seconds)
            .write(base: URL(fileURLWithPath: destination.file.sidecar(.report)))
        let record = URL(fileURLWithPath: destination.file.sidecar(.runRecord))
        try RunRecord(command: "train-property").write(into: record.deletingLastPathComponent(), name: record.lastPathComponent)
        print("\(outcome.card.task.propertyName): \(outcome.card.modelDescription) → \(destination.output)")
        if outcome.interrupted {
            print("interrupted at step \(outcome.step); run the same command to resume")
        } else {
            for line in outcome.card.scores?.summaries ?? [] { print(line) }
            if case let .classification(scores) = outcome.card.scores {
                for score in scores { print(Self.confusionTable(score)) }
            }
        }
    }

    /// The confusion matrix as text: one row per true class, columns the predicted ones.
    static func confusionTable(_ score: ClassificationScore) -> String {
        let width = max(8, (score.categories.map(\.count).max() ?? 0) + 1)
        func pad(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var lines = ["confusion, \(score.split) (rows true, columns predicted):", pad("") + score.categories.map(pad).joined()]
        for (t, row) in score.confusion.enumerated() { lines.append(pad(score.categories[t]) + row.map { pad(String($0)) }.joined()) }
        return lines.joined(separator: "\n")
    }
}
