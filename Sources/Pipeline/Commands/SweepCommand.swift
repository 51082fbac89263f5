import ArgumentParser
import Chem
import Diffusion
import Foundation

/// `rgdm sweep --model CKPT… --oracle P --targets LO:HI:STEP --count N --output BASE`: the
/// extrapolation trade-off of conditional models, one command.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sample conditional models at targets from inside the data's range to beyond it: property reached against quality lost.",
        discussion: """
        For each --model (for example models trained at labelled fractions 1 %, 5 %, 100 %) and each \
        target, draws --count molecules at that target (atom counts from the training molecules \
        nearest it; other properties of a multi-property model at their training mean) and reports \
        the oracle's mean and spread of the property, its MAE to the target, atom and molecule \
        stability, validity, uniqueness (novelty with --reference), and where the target lies among \
        the model's training labels (its quantile: 0 or 1 is beyond them all). Every model meets a \
        target with the same random numbers. Prints a Markdown table; writes BASE.html (plots \
        against the target, the data's 1 % and 99 % quantiles marked) and BASE.json, rewritten \
        atomically after each target: rerun the same command after a stop (Ctrl-C finishes the \
        current target; a second Ctrl-C quits at once) and the finished targets are skipped. \
        Targets or models added to a rerun are run; other changed settings are refused.
        """)

    @Option(name: .shortAndLong, help: "A conditional checkpoint (repeat for several models).") var model: [String] = []
    @OptionGroup var oracleOptions: OracleOptions
    @Option(help: ArgumentHelp("Targets: LO:HI:STEP or a list A,B,C (repeatable), in the property's units.",
                               discussion: "Write a negative first value as --targets=-1:1:0.5."),
            transform: { text in
                do { return try TargetGrid(parsing: text) } catch { throw ValidationError("--targets: \(error)") }
            })
    var targets: [TargetGrid] = []  // parsed by `transform` below
    @Option(name: .shortAndLong, help: "Molecules per model and target.") var count = 100
    @Option(help: "Classifier-free guidance scale w ≥ 0 (default 0).") var guidance = 0.0
    @OptionGroup(title: "Property guidance (every model toward the target)") var steering: PropertyGuidanceOptions
    @Option(help: "Reference set for novelty (an rgdm HDF5 set or a molecule file).") var reference: String?
    @Option(name: .shortAndLong, help: "Report base: writes BASE.html and BASE.json (and resumes from BASE.json).") var output: String
    @Flag(help: "Also write each model's molecules at each target to BASE.samples/MODEL-TARGET.sdf.") var keepSamples = false

    @OptionGroup(title: "Sampler") var sampling: SamplerOptions
    @Option(help: "Graphs denoised together.") var batch = 100
    @Flag(help: "Sample with the raw weights instead of their EMA.") var noEMA = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if model.isEmpty { throw ValidationError("give at least one --model") }
        if targets.isEmpty { throw ValidationError("give --targets LO:HI:STEP or a list A,B,C") }
        if count < 1 { throw ValidationError("--count must be at least 1") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if !(guidance.isFinite && guidance >= 0) { throw ValidationError("--guidance must be ≥ 0") }
        if Set(model).count != model.count { throw ValidationError("a --model is given twice") }
    }

    func run() throws {
        let models = try model.map { try TrainedModel(path: $0, threads: global.workerCount, useEMA: !noEMA) }
        let conditions = try models.map { trained in
            guard let condition = trained.card.condition else {
                throw PipelineError.invalidModel(path: trained.source, reason: "it is unconditional: the sweep needs models trained with --condition")
            }
            return condition
        }
        let oracle = try oracleOptions.makeOracle(property: conditions[0].properties[0])
        let columns = try zip(models, conditions).map { try oracle.propertyIndex(in: $1, model: $0.source) }
        let property = conditions[0].properties[columns[0]]
        let names = Self.names(of: model)
        let steered = try models.map { try steering.steering(for: $0, threads: global.workerCount)?.guidance }
        var settings = ["count": "\(count)", "guidance": "\(guidance)", "seed": "\(global.seed)", "oracle": oracle.name,
                        "reference": reference ?? "none", "weights": noEMA ? "raw" : "EMA",
                        "sampler": try sampling.settings(for: .molecules, architecture: .egnn, timesteps: 1000).summary + " (for T = 1000)"]
        if let path = steering.propertyModel {
            settings["property_guidance"] = String(format: "%@, w = %g, clip %g", path, steering.propertyWeight, steering.guidanceClip)
        }
        var sweep = ExtrapolationSweep(
            settings: settings, property: property, models: models.indices.map { ExtrapolationSweep.model(models[$0], column: columns[$0], name: names[$0]) },
            targets: TargetGrid(values: targets.flatMap(\.values)).values)
        let base = URL(fileURLWithPath: output)
        try sweep.restore(from: base.appendingPathExtension("json"))
        let novelty = try reference.map { try ReferenceSMILES.load($0) }
        let todo = sweep.remaining
        if todo.count < sweep.models.count * sweep.targets.count {
            FileHandle.standardError.write(Data("sweep: \(sweep.models.count * sweep.targets.count - todo.count) finished target(s) taken from \(output).json\n".utf8))
        }
        try RunRecord(command: "sweep").write(into: base.deletingLastPathComponent(), name: base.lastPathComponent + ".run.json")
        Interruption.install()
        var interrupted = false
        for (described, target) in todo {
            if Interruption.requested { interrupted = true; break }
            guard let index = models.firstIndex(where: { $0.source == described.path }) else { continue }
            let trained = models[index], condition = conditions[index]
            let settings = try sampling.settings(for: .molecules, architecture: trained.card.architecture, timesteps: trained.card.timesteps)
                .stopping(at: condition.training.earlyStop, timesteps: trained.card.timesteps, keepingSteps: sampling.steps != nil)
            var progress = ProgressLine(label: "\(described.name) at \(String(format: "%g", target))", total: count)
            let (point, molecules) = try ExtrapolationSweep.point(
                trained, column: columns[index], target: target, oracle: oracle, count: count, guidance: guidance, steering: steered[index],
                batchSize: batch, sampling: settings, reference: novelty, seed: global.seed) { progress.advance(by: $0) }
            progress.finish()
            if keepSamples {
                let path = output + ".samples/\(described.name)-\(String(format: "%g", target)).sdf"
                let diverged = try MoleculeDecoding.writeFinite(molecules, to: path)
                if diverged > 0 {
                    FileHandle.standardError.write(Data(("sweep: " + MoleculeDecoding.divergedNote(diverged, of: molecules.count, path: path) + "\n").utf8))
                }
            }
            sweep.points.append(point)
            try sweep.report(complete: sweep.remaining.isEmpty).write(base: base)
        }
        try sweep.report(complete: sweep.remaining.isEmpty).write(base: base)
        print(sweep.markdown())
        if interrupted {
            FileHandle.standardError.write(Data("sweep: interrupted with \(sweep.remaining.count) target(s) to go; run the same command to go on\n".utf8))
        }
    }

    /// The models' names in tables: the run folder of `…/RUN/checkpoint.rgdm`, else the file's
    /// name without extension; a name met before gets "-2", "-3", ….
    static func names(of paths: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return paths.map { path in
            let url = URL(fileURLWithPath: path)
            let name = url.lastPathComponent == "checkpoint.rgdm" ? url.deletingLastPathComponent().lastPathComponent
                : url.deletingPathExtension().lastPathComponent
            let k = (seen[name] ?? 0) + 1
            seen[name] = k
            return k == 1 ? name : "\(name)-\(k)"
        }
    }
}
