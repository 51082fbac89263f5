import ArgumentParser
import Diffusion
import Foundation

/// `rgdm export CHECKPOINT --output FILE`: the sampling weights of a
/// training checkpoint, for shipping.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a checkpoint's sampling weights (its EMA) without the optimiser state.",
        discussion: """
        The result is about a fifth of the checkpoint's size. 'rgdm sample', 'info' and \
        'evaluate' read it like any checkpoint; training cannot resume from it (keep the \
        run's own checkpoint for that).
        """)

    @Argument(help: "A checkpoint.rgdm of a training run.")
    var checkpoint: String

    @OptionGroup var destination: OutputOptions<CheckpointOutput>

    @Option(help: ArgumentHelp("How the weights are stored: single (Float32) or half (Float16, half the size).",
                               discussion: "Half rounds each weight to 11 significant bits; measure samples of the exported file."))
    var precision: Checkpoint.Precision = .single

    func run() throws {
        guard FileManager.default.fileExists(atPath: checkpoint) else {
            throw PipelineError.invalidModel(path: checkpoint, reason: "no such file")
        }
        let source = try Checkpoint(contentsOf: URL(fileURLWithPath: checkpoint))
        _ = try ModelCard(checkpoint: source, path: checkpoint)   // a readable model card
        let exported = try source.weightsOnly(precision: precision)
        let output = destination.output
        try exported.write(to: URL(fileURLWithPath: output))
        let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print("wrote \(output): \(exported.state.parameters.count) weights (\(source.state.ema == nil ? "raw" : "EMA")) at step \(exported.state.step), \(precision) precision, \(bytes / 1024) KiB")
    }
}
