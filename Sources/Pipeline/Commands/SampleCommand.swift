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

    @Option(help: ArgumentHelp(
        "Reverse process (default: the model's default chain, below).",
        discussion: """
        Without --sampler, molecule models sample with \(ModelDomain.molecules.defaultSampling(timesteps: 1000, architecture: .egnn).summary) \
        and latent-points shapes models with \(ModelDomain.shapes.defaultSampling(timesteps: 1000, architecture: .latentPoints).summary) \
        (for T = 1000); the other options below adjust that chain. With --sampler, every option not given takes the \
        default it names; --sampler ancestral --steps 1000 --corrector-steps 0 is EDM's plain chain.
        """))
    var sampler: SamplerKind?
    @Option(help: "Denoising steps: DDIM's and DPM-Solver++'s (default 100), or a strided ancestral chain's (default: all T).") var steps: Int?
    @Option(help: ArgumentHelp(
        "Where the steps lie: uniform, log-snr or power:ρ (default: uniform for ancestral and DDIM, log-snr for DPM-Solver++).",
        discussion: "power:ρ puts step k of K at t = T (k/K)^ρ: ρ > 1 crowds the steps at low noise, where bonds form."))
    var grid: TimestepGrid?
    @Option(help: "DPM-Solver++'s order, 1 or 2 (default 2).") var order: Int?
    @Option(help: "SDE-DPM-Solver++'s noise η: 1 the reverse SDE (default), more adds Langevin moves to each step.")
    var eta: Double?
    @Option(help: ArgumentHelp("latent-points models: steps of the latent prior's chain (default: all T for ancestral, --steps otherwise).",
                               discussion: "The prior is cheap; a coarse ancestral chain shrinks the spread of the latents, so of the shapes."))
    var latentSteps: Int?
    @Option(help: "latent-points models: the latent prior's sampler (default: --sampler's, with its grid, order and η).")
    var latentSampler: SamplerKind?
    @Option(help: ArgumentHelp(
        "Langevin corrector moves per noise level, between ancestral steps (default with --sampler ancestral: \(ModelDomain.molecules.defaultCorrectorSteps) for molecule models, \(ModelDomain.shapes.defaultCorrectorSteps) for shapes; 0 turns them off).",
        discussion: """
        Predictor–corrector sampling (Song et al. 2021): at each of the last --corrector-levels \
        levels t, z ← z − 2r²σ_t ε̂ + 2rσ_t ξ before the ancestral step. It pulls the chain back \
        to the model's own p_t and sharpens bond lengths; each move costs one more network call.
        """))
    var correctorSteps: Int?
    @Option(help: "Noise levels the corrector works at: the last N, t = N … 1 (default 200).") var correctorLevels: Int?
    @Option(help: "The lowest level the corrector works at (default 1).") var correctorLowestLevel: Int?
    @Option(help: "Signal-to-noise ratio r of a corrector move (default 0.2).") var correctorSnr: Double?
    @Option(help: "Graphs denoised together.") var batch = 100
    @Flag(help: "Sample with the raw weights instead of their EMA.") var noEMA = false
    @Flag(help: "Print the EDM metrics of sampled molecules as JSON.") var json = false
    @Option(help: "Molecules: reference set for novelty (an rgdm HDF5 training set or a molecule file).")
    var reference: String?

    @Option(help: ArgumentHelp("latent-points models: auto-encode --count shapes of this dataset instead of sampling.",
                               discussion: "Each cloud is encoded to its latent mean and decoded; the shapes are taken evenly spaced through --split."))
    var reconstruct: String?
    @Option(help: "The split --reconstruct reads.") var split = "test"

    @OptionGroup(title: "Reward-guided sampling (molecules, EGNN models)") var reward: RewardOptions
    @Option(help: ArgumentHelp("With --reward: proposals K per guided step, one kept by softmax(reward/τ) (RGDM's sampler).",
                               discussion: "Each guided step costs K + 1 network calls and K reward evaluations per molecule; the chain is EDM's full ancestral one."))
    var explore = 4
    @Option(help: "With --reward: the pay-off temperature τ of the guided steps.") var guidanceTemperature = 0.1
    @Option(help: "With --reward: guide the steps from the last N noise levels.") var guidedLevels = 100

    @OptionGroup(title: "Property guidance (molecules, unconditional EGNN models)") var targeting: TargetOptions

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let latentSteps, latentSteps < 1 { throw ValidationError("--latent-steps must be at least 1") }
        if let correctorSteps, correctorSteps < 0 { throw ValidationError("--corrector-steps must be at least 0") }
        if let correctorLevels, correctorLevels < 1 { throw ValidationError("--corrector-levels must be at least 1") }
        if let correctorLowestLevel, !(1 ... (correctorLevels ?? Int.max)).contains(correctorLowestLevel) {
            throw ValidationError("--corrector-lowest-level must be in 1 … --corrector-levels")
        }
        if let correctorSnr, !(correctorSnr.isFinite && correctorSnr > 0) { throw ValidationError("--corrector-snr must be > 0") }
        if let sampler, sampler != .ancestral, let correctorSteps, correctorSteps > 0 {
            throw ValidationError("--corrector-steps needs --sampler ancestral; "
                                  + (sampler == .ddim ? "DDIM is deterministic" : "\(sampler.rawValue) takes no corrector"))
        }
        if let order, let sampler, sampler != .dpmSolver && sampler != .sdeDPMSolver || !(1 ... 2).contains(order) {
            throw ValidationError("--order takes 1 or 2, with --sampler dpm-solver++ or sde-dpm-solver++")
        }
        if let eta, let sampler, sampler != .sdeDPMSolver || !(eta.isFinite && eta >= 0) {
            throw ValidationError("--eta takes a value ≥ 0, with --sampler sde-dpm-solver++")
        }
        if targeting.isGuided, reward.reward != nil || reconstruct != nil {
            throw ValidationError("--target guides the model's own chain: leave out --reward and --reconstruct")
        }
        if reward.reward != nil {
            if explore < 1 { throw ValidationError("--explore must be at least 1") }
            if !(guidanceTemperature.isFinite && guidanceTemperature > 0) { throw ValidationError("--guidance-temperature must be > 0") }
            if guidedLevels < 1 { throw ValidationError("--guided-levels must be at least 1") }
            if reconstruct != nil || sampler != .ancestral || steps != nil || (correctorSteps ?? 0) > 0 {
                throw ValidationError("--reward guides EDM's full ancestral chain: leave out --reconstruct, --sampler, --steps and --corrector-steps")
            }
        }
    }

    /// The reverse process for a model of `domain` and `architecture` with T = `timesteps`:
    /// without `--sampler` the model's default chain, with it that sampler's own defaults (an
    /// ancestral chain over all T steps with the domain's `defaultCorrectorSteps` at the last 200
    /// levels, r = 0.2), each adjusted by the options given.
    func sampling(for domain: ModelDomain, architecture: ModelArchitecture, timesteps: Int) throws -> SamplingSettings {
        var settings = domain.defaultSampling(timesteps: timesteps, architecture: architecture)
        if let sampler {
            let moves = sampler == .ancestral ? domain.defaultCorrectorSteps : 0
            settings = SamplingSettings(kind: sampler, corrector: moves == 0 ? nil
                                            : try LangevinCorrector(steps: moves, levels: 200, snr: 0.2))
        }
        if let steps { settings.steps = steps }
        if let grid { settings.grid = grid }
        if let order { settings.order = order }
        if let eta { settings.eta = eta }
        if let latentSteps { settings.latentSteps = latentSteps }
        if let latentSampler { settings.latentKind = latentSampler }
        let base = settings.corrector
        let moves = correctorSteps ?? base?.steps ?? 0
        settings.corrector = moves == 0 ? nil : try LangevinCorrector(
            steps: moves, levels: correctorLevels ?? base?.levels ?? 200,
            lowestLevel: correctorLowestLevel ?? base?.lowestLevel ?? 1, snr: correctorSnr ?? base?.snr ?? 0.2)
        return settings
    }

    func run() throws {
        let model = try TrainedModel(path: self.model, threads: global.workerCount, useEMA: !noEMA)
        if model.card.domain == .shapes { _ = try ShapeDecoding.outputFormat(output) }
        let settings = try sampling(for: model.card.domain, architecture: model.card.architecture,
                                    timesteps: model.card.timesteps)
        let networkCalls = try reconstruct == nil ? model.model.networkCalls(sampling: settings)
            : (model.model as? any AutoEncodingModel)?.reconstructionCalls(sampling: settings) ?? 0
        var generator = Xoshiro256StarStar(seed: global.seed)
        var progress = ProgressLine(label: "sample", total: count)
        let start = Date()
        let results: [SampleResult]
        let guided = try targeting.guidance(for: model, threads: global.workerCount)
        if let guided {
            results = try model.sample(count: count, batchSize: batch, sampling: settings, guidance: guided.guidance,
                                       using: &generator) { progress.advance(by: $0) }
        } else if let reconstruct {
            guard case let .shapes(data) = try TrainingData.open(reconstruct, split: split) else {
                throw PipelineError.invalidDataset(path: reconstruct, reason: "--reconstruct needs a shape set")
            }
            let indices = ShapeSetLoader.evenlySpaced(Array(0 ..< data.count), limit: count)
            results = try model.reconstruct(data, indices: indices, batchSize: batch, sampling: settings,
                                            using: &generator) { progress.advance(by: $0) }
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
            let molecules = MoleculeCodec(card: model.card).molecules(from: results)
            try MoleculeDecoding.write(molecules, to: output)
            var evaluator = EDMEvaluator(reference: try reference.map { try ReferenceSMILES.load($0) })
            for molecule in molecules { try evaluator.add(molecule) }
            var runReport = RunReport.molecules(molecules, metrics: evaluator.metrics, model: model, sampling: settings,
                                                networkCalls: networkCalls, output: output, seconds: seconds)
            let predicted = try guided.map { try $0.property.predict(MoleculeCodec(card: model.card).batch(molecules)) }
            if let guided, let predicted { runReport.add(guided, predictions: predicted) }
            try runReport.write(base: reportBase)
            try report(evaluator.metrics, seconds: seconds)
            if let guided, let predicted { print(RunReport.guidanceSummary(guided, predictions: predicted)) }
        case .shapes:
            let files = try ShapeDecoding.write(results, to: output)
            try RunReport.shapes(results, model: model, sampling: settings, networkCalls: networkCalls, output: output,
                                 seconds: seconds)
                .write(base: reportBase)
            let written = files.count > 2 ? "\(files[0]) … \(files[files.count - 1]) (\(files.count) files)" : files.joined(separator: ", ")
            print(String(format: "sampled %d shapes in %.1f s → %@", count, seconds, written))
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
