import ArgumentParser
import Chem
import Diffusion
import Foundation

/// `rgdm evaluate conditional --model CKPT --oracle P [--data SET] …`: EDM's conditional
/// evaluation of a model trained with --condition, beside the Naive and #Atoms bounds.
struct EvaluateConditionalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conditional",
        abstract: "Conditional MAE as EDM measures it: molecules at targets from the data, scored by a property oracle, beside the bounds.",
        discussion: """
        Samples --count molecules from a conditional model, each at a (target, atom count) pair drawn \
        jointly from the model card's training labels (--targets-from reference, EDM's draw) or from \
        --data's --split (true labels), or all at --target. The oracle predicts each molecule's \
        property; the MAE to the targets is over every molecule the oracle reads (EDM's EGNN oracle \
        reads any geometry, valid or not; molecules with an element outside the oracle's vocabulary \
        are counted and left out). With --data, the same oracle gives the bounds on --split: Naive \
        (labels shuffled against molecules), the oracle's own error, and #Atoms (a per-size mean \
        fitted on --fit-split). Printed in EDM's units (meV for HOMO, LUMO and the gap, which the \
        molecule sets store in Hartree) beside EDM's Table 3.
        """)

    @Option(name: .shortAndLong, help: "A conditional checkpoint (rgdm train --condition).") var model: String
    @OptionGroup var oracleOptions: OracleOptions
    @Option(help: "The held-out split of --data: the bounds' molecules, and the targets with --targets-from split.")
    var split = "test"
    @Option(name: .shortAndLong, help: "Molecules to generate.") var count = 1000
    @Option(help: ArgumentHelp("Where the (target, atom count) pairs come from: reference (the model card's training labels, EDM's draw) or split (--data's --split, true labels).",
                               discussion: "With F < 1 the card's labels are mostly pseudo-labels; split draws the true labels of molecules the model did not train on."))
    var targetsFrom: TargetSource = .reference
    @Option(help: "One target for every molecule instead (one value per property of the model); atom counts from the data near it.")
    var target: [Double] = []
    @Option(help: "Classifier-free guidance scale w ≥ 0 (default 0).") var guidance = 0.0
    @OptionGroup(title: "Property guidance (each molecule toward its own target)") var steering: PropertyGuidanceOptions
    @Option(help: "Reference set for novelty (an rgdm HDF5 set or a molecule file).") var reference: String?
    @Option(name: .shortAndLong, help: "Writes BASE.sdf (each molecule with its target and the oracle's prediction), BASE.json, BASE.html and BASE.run.json.")
    var output: String?

    @OptionGroup(title: "Sampler") var sampling: SamplerOptions
    @Option(help: "Graphs denoised together.") var batch = 100
    @Flag(help: "Sample with the raw weights instead of their EMA.") var noEMA = false
    @OptionGroup var global: GlobalOptions

    enum TargetSource: String, ExpressibleByArgument, CaseIterable { case reference, split }

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let bad = target.first(where: { !$0.isFinite }) { throw ValidationError("--target must be a finite number, not \(bad)") }
        if !(guidance.isFinite && guidance >= 0) { throw ValidationError("--guidance must be ≥ 0") }
        if targetsFrom == .split && oracleOptions.data == nil { throw ValidationError("--targets-from split needs --data") }
        if targetsFrom == .split && !target.isEmpty { throw ValidationError("give --target or --targets-from split, not both") }
    }

    func run() throws {
        let trained = try TrainedModel(path: model, threads: global.workerCount, useEMA: !noEMA)
        guard let condition = trained.card.condition else {
            throw PipelineError.invalidModel(path: model, reason: "it is unconditional: the conditional evaluation needs a model trained with --condition")
        }
        let oracle = try oracleOptions.makeOracle(property: condition.properties[0])
        let column = try oracle.propertyIndex(in: condition, model: model)
        let property = condition.properties[column]
        let settings = try sampling.settings(for: .molecules, architecture: trained.card.architecture, timesteps: trained.card.timesteps)
            .stopping(at: condition.training.earlyStop, timesteps: trained.card.timesteps, keepingSteps: sampling.steps != nil)
        let data = try oracleOptions.data.map { try LabelledSplit(path: $0, split: split, properties: condition.properties) }
        let steered = try steering.steering(for: trained, threads: global.workerCount)
        let evaluation = ConditionalEvaluation(targets: !target.isEmpty ? .fixed(target) : targetsFrom == .split ? .split : .reference,
                                               guidance: guidance, steering: steered?.guidance, count: count, batchSize: batch)
        var generator = Xoshiro256StarStar(seed: global.seed)
        var progress = ProgressLine(label: "sample", total: count)
        let outcome = try evaluation.run(model: trained, oracle: oracle, data: data, sampling: settings,
                                         reference: try reference.map { try ReferenceSMILES.load($0) }, using: &generator) {
            progress.advance(by: $0)
        }
        progress.finish()
        var baselines: ConditionalBaselines?
        if let data, let path = oracleOptions.data {
            let training = try LabelledSplit(path: path, split: oracleOptions.fitSplit, properties: [property])
            baselines = try ConditionalBaselines(oracle: oracle, heldOut: data, training: training)
        }
        let drawn = !target.isEmpty ? "the target \(target.map { String(format: "%g", $0) }.joined(separator: ", "))"
            : targetsFrom == .split ? "targets drawn from \(split) of \(oracleOptions.data ?? "")" : "targets drawn from the model's (size, label) pairs"
        let targets = drawn + (steered.map { String(format: ", each guided toward its target by %@ (w = %g)", $0.path, steering.propertyWeight) } ?? "")
        let summary = ConditionalEvaluationSummary(model: model, oracle: oracle.name, property: property, targets: targets,
                                                   outcome: outcome, baselines: baselines,
                                                   baselineSource: oracleOptions.data.map { "\(split) of \($0)" })
        if let output {
            let diverged = try MoleculeDecoding.writeFinite(outcome.molecules, to: output + ".sdf")
            if diverged > 0 {
                FileHandle.standardError.write(Data(("evaluate conditional: " + MoleculeDecoding.divergedNote(diverged, of: outcome.molecules.count, path: output + ".sdf")
                    + "; the report keeps them (a learnt oracle reads no prediction for them: unread)\n").utf8))
            }
            let base = URL(fileURLWithPath: output)
            try summary.report().write(base: base)
            try RunRecord(command: "evaluate conditional").write(into: base.deletingLastPathComponent(), name: base.lastPathComponent + ".run.json")
        }
        print(summary.markdown())
    }
}
