import ArgumentParser
import Chem
import Diffusion
import Foundation

/// `rgdm sample --model CHECKPOINT --count N --output FILE`: draws molecules
/// or shapes from a trained model; the file extension picks the format.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample molecules or shapes from a trained model.",
        discussion: """
        Molecules: .sdf, .mol2, .xyz, .smi, .pdb (any format Open Babel writes), bonds inferred \
        from 3D by EDM's distance table. Shapes: .h5 (one [N, P, 3] dataset in the ShapeNet layout, \
        group 'generated', split 'test'), or .ply, .xyz, .pts, .obj with one shape per file \
        (several: FILE-001.ply, FILE-002.ply, …). The run's arguments are written to FILE.run.json.
        """)

    @Option(name: .shortAndLong, help: "Checkpoint (checkpoint.rgdm of a training run).")
    var model: String

    @Option(name: .shortAndLong, help: "How many molecules or shapes to draw.")
    var count = 100

    @OptionGroup var destination: OutputOptions<SampleOutput>
    var output: String { destination.output }

    @OptionGroup(title: "Sampler") var sampling: SamplerOptions
    @Option(help: "Graphs denoised together.") var batch = 100
    @Flag(help: "Sample with the raw weights instead of their EMA.") var noEMA = false
    @Flag(help: "Print the EDM metrics of sampled molecules as JSON.") var json = false
    @Option(help: "Molecules: reference set for novelty (an rgdm HDF5 training set or a molecule file).")
    var reference: String?

    @Option(help: ArgumentHelp("latent-points models: auto-encode --count shapes of this dataset instead of sampling.",
                               discussion: "Each cloud is encoded to its latent mean and decoded; the shapes are taken evenly spaced through --split."))
    var reconstruct: String?
    @Option(help: "The split --reconstruct reads.") var split = "test"

    @OptionGroup(title: "Conditional sampling (models trained with --condition)") var condition: ConditionOptions
    @Option(name: .customLong("class"), help: "A class-conditional shape model (--class-condition): the class to sample (default: none, its unconditional part); --guidance sets w. With --property-model, a latent classifier's class to guide toward.")
    var sampleClass: String?
    @OptionGroup(title: "Reward-guided sampling (molecules: EGNN models; shapes: latent point models)") var reward: RewardOptions
    @Option(help: ArgumentHelp("With --reward: proposals K per guided step, one kept by softmax(reward/τ) (RGDM's sampler).",
                               discussion: "Each guided step costs K + 1 network calls and K reward evaluations per molecule; the chain is EDM's full ancestral one. Shapes: the latent prior's chain is guided, each candidate latent decoded by the point chain for the reward (K decodings per shape and step: use few --guided-levels)."))
    var explore = 4
    @Option(help: "With --reward: the pay-off temperature τ of the guided steps.") var guidanceTemperature = 0.1
    @Option(help: "With --reward: guide the steps from the last N noise levels.") var guidedLevels = 100

    @OptionGroup(title: "Property guidance (unconditional EGNN models; latent point models: the prior's chain)") var targeting: TargetOptions

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if targeting.isGuided {
            let towardClass = sampleClass != nil && condition.target.isEmpty
            if condition.target.isEmpty && !towardClass && !condition.conditionFromData {
                throw ValidationError("--property-model guides toward --target (a conditional model: or each molecule's --condition-from-data; a classifier of shape latents: toward one --class)")
            }
            if reward.reward != nil || reconstruct != nil {
                throw ValidationError("--property-model guides the model's own chain: leave out --reward and --reconstruct")
            }
        }
        if reward.reward != nil {
            if explore < 1 { throw ValidationError("--explore must be at least 1") }
            if !(guidanceTemperature.isFinite && guidanceTemperature > 0) { throw ValidationError("--guidance-temperature must be > 0") }
            if guidedLevels < 1 { throw ValidationError("--guided-levels must be at least 1") }
            if reconstruct != nil || sampling.sampler.map({ $0 != .ancestral }) == true || sampling.steps != nil
                || (sampling.correctorSteps ?? 0) > 0 {
                throw ValidationError("--reward guides EDM's full ancestral chain: leave out --reconstruct, --sampler, --steps and --corrector-steps")
            }
        }
    }

    func run() throws {
        let model = try TrainedModel(path: self.model, threads: global.workerCount, useEMA: !noEMA)
        if model.card.domain == .shapes { _ = try ShapeDecoding.outputFormat(output) }
        var settings = try sampling.settings(for: model.card)
        if !sampling.isGiven, let chain = model.card.policyChain {
            FileHandle.standardError.write(Data("rgdm sample: \(self.model) samples with \(chain.summary); sampler options override it\n".utf8))
        }
        settings = settings.stopping(at: model.card.condition?.training.earlyStop ?? 0, timesteps: model.card.timesteps,
                                     keepingSteps: sampling.steps != nil)
        let networkCalls = try reconstruct == nil ? model.model.networkCalls(sampling: settings)
            : (model.model as? any AutoEncodingModel)?.reconstructionCalls(sampling: settings) ?? 0
        var generator = Xoshiro256StarStar(seed: global.seed)
        var progress = ProgressLine(label: "sample", total: count)
        let start = Date()
        let results: [SampleResult]
        let classes = model.card.classCondition
        let shapeGuided = model.card.domain == .shapes && targeting.isGuided
        if sampleClass != nil && classes == nil && !shapeGuided {
            throw PipelineError.invalidCondition(reason: "\(self.model) is not class-conditional; --class needs a model trained with --class-condition")
        }
        let conditionalModel = model.card.condition != nil
        if targeting.isGuided, !conditionalModel, !shapeGuided, condition.target.count != 1 || condition.conditionFromData {
            throw PipelineError.invalidCondition(reason: "--property-model guides the unconditional \(self.model) toward one --target value")
        }
        let guided = classes != nil || shapeGuided || conditionalModel ? nil
            : try targeting.guidance(for: model, target: condition.target.first, weight: condition.guidance, threads: global.workerCount)
        let steering = conditionalModel ? try targeting.property.steering(for: model, threads: global.workerCount) : nil
        let conditional = guided == nil && classes == nil && !shapeGuided ? try condition.sampling(for: model) : nil
        var draw: ConditionalSampling.Draw?
        var shapeGuidance: ShapeGuidanceOutcome?
        if shapeGuided {
            shapeGuidance = try sampleShapesPropertyGuided(model, settings: settings, using: &generator) { progress.advance(by: $0) }
            results = shapeGuidance?.results ?? []
        } else if let classes {
            results = try sampleClassConditioned(model, classes: classes, settings: settings, using: &generator) {
                progress.advance(by: $0)
            }
        } else if let guided {
            results = try model.sample(count: count, batchSize: batch, sampling: settings, guidance: guided.guidance,
                                       sizes: guided.sizes, using: &generator) { progress.advance(by: $0) }
        } else if let conditional, reward.reward == nil {
            draw = try conditional.sample(from: model, count: count, batchSize: batch, sampling: settings, steering: steering?.guidance,
                                          using: &generator) {
                progress.advance(by: $0)
            }
            results = draw?.results ?? []
        } else if conditional != nil {
            throw PipelineError.invalidModel(path: self.model, reason: "reward-guided sampling (--reward) steers unconditional models; this one is conditional")
        } else if let reconstruct {
            guard case let .shapes(data) = try TrainingData.open(reconstruct, split: split) else {
                throw PipelineError.invalidDataset(path: reconstruct, reason: "--reconstruct needs a shape set")
            }
            let indices = ShapeSetLoader.evenlySpaced(Array(0 ..< data.count), limit: count)
            results = try model.reconstruct(data, indices: indices, batchSize: batch, sampling: settings,
                                            using: &generator) { progress.advance(by: $0) }
        } else if reward.reward != nil, model.card.domain == .shapes {
            results = try sampleShapesGuided(model, settings: settings, using: &generator) { progress.advance(by: $0) }
        } else if var scorer = try reward.makeScorer(workers: global.workerCount) {
            guard model.card.domain == .molecules else {
                throw PipelineError.invalidModel(path: self.model, reason: "reward-guided sampling steers molecule models")
            }
            let codec = MoleculeCodec(card: model.card)
            let guidance = try RewardGuidedSampling(explorations: explore, temperature: guidanceTemperature, levels: guidedLevels)
            results = try model.sampleGuided(count: count, batchSize: batch, guidance: guidance,
                                             score: { scorer.score(codec.molecules(from: [$0])).rewards },
                                             using: &generator) { progress.advance(by: $0) }
            let final = scorer.score(codec.molecules(from: results)).rewards
            FileHandle.standardError.write(Data(String(
                format: "reward-guided: %@, mean reward of the samples %.4f, %d reward evaluations\n",
                scorer.reward.name, final.reduce(0, +) / Double(max(final.count, 1)), scorer.ledger.evaluations).utf8))
        } else {
            results = try model.sample(count: count, batchSize: batch, sampling: settings, using: &generator) {
                progress.advance(by: $0)
            }
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        switch model.card.domain {
        case .molecules:
            let decoded = MoleculeCodec(card: model.card).molecules(from: results)
            let molecules = draw?.annotating(decoded) ?? decoded
            let diverged = try MoleculeDecoding.writeFinite(molecules, to: output)
            if diverged > 0 {
                FileHandle.standardError.write(Data(("sample: " + MoleculeDecoding.divergedNote(diverged, of: molecules.count, path: output)
                    + "; the metrics count them as unstable and invalid\n").utf8))
            }
            var evaluator = EDMEvaluator(reference: try reference.map { try ReferenceSMILES.load($0) })
            for molecule in molecules { try evaluator.add(molecule) }
            var sampleReport = RunReport.molecules(molecules, metrics: evaluator.metrics, model: model, sampling: settings,
                                                   networkCalls: networkCalls * (draw.map { $0.guidance > 0 && $0.request != .unconditional ? 2 : 1 } ?? 1),
                                                   output: output, seconds: seconds)
            if let draw { sampleReport.addCondition(draw) }
            if let steering {
                sampleReport.json["property_guidance"] = ["property_model": steering.path, "weight": targeting.property.propertyWeight,
                                                          "clip": targeting.property.guidanceClip, "target": "each molecule's condition"]
                sampleReport.summary += String(format: " Guided toward each molecule's condition by %@ with w = %.6g.",
                                               steering.path, targeting.property.propertyWeight)
            }
            sampleReport.json["diverged"] = diverged
            let predicted = try guided.map { try $0.property.predict(MoleculeCodec(card: model.card).batch(molecules)) }
            if let guided, let predicted { sampleReport.add(guided, predictions: predicted) }
            let oracle = try targeting.oracleModel(threads: global.workerCount)
            let oracleTarget = guided?.target ?? (draw.map { $0.request == .unconditional } == false && condition.target.count == 1 ? condition.target.first : nil)
            let scored = try oracle.map { try $0.predict(MoleculeCodec(card: model.card).batch(molecules)) }
            if let oracle, let scored, let path = targeting.oracle {
                sampleReport.add(oracle: oracle, path: path, predictions: scored, target: oracleTarget)
            }
            try sampleReport.write(base: reportBase)
            try report(evaluator.metrics, seconds: seconds)
            if let guided, let predicted { print(RunReport.guidanceSummary(guided, predictions: predicted)) }
            if let oracle, let scored, let path = targeting.oracle {
                print(RunReport.oracleSummary(oracle, path: path, predictions: scored, target: oracleTarget))
            }
        case .shapes:
            let files = try ShapeDecoding.write(results, to: output)
            var shapeReport = RunReport.shapes(results, model: model, sampling: settings, networkCalls: networkCalls, output: output,
                                               seconds: seconds)
            if let shapeGuidance { shapeReport.json["property_guidance"] = shapeGuidance.json }
            try shapeReport.write(base: reportBase)
            let written = files.count > 2 ? "\(files[0]) … \(files[files.count - 1]) (\(files.count) files)" : files.joined(separator: ", ")
            print(String(format: "sampled %d shapes in %.1f s → %@", count, seconds, written))
            if let shapeGuidance { print(shapeGuidance.summary) }
        }
        let record = URL(fileURLWithPath: destination.file.sidecar(.sampleRunRecord))
        try RunRecord(command: "sample").write(into: record.deletingLastPathComponent(), name: record.lastPathComponent)
    }

    /// `samples.sdf` → `samples.report` (+ .json / .html).
    private var reportBase: URL { URL(fileURLWithPath: destination.file.sidecar(.report)) }

    private func report(_ metrics: EDMMetrics, seconds: Double) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(metrics), as: UTF8.self))
            return
        }
        print(String(format: "sampled %d molecules in %.1f s → %@", metrics.count, seconds, output))
        print(String(format: "atom stability %.4f  molecule stability %.4f  validity %.4f  uniqueness %.4f",
                     metrics.atomStability, metrics.moleculeStability, metrics.validity, metrics.uniqueness)
              + (metrics.novelty.map { String(format: "  novelty %.4f", $0) } ?? ""))
    }
}
