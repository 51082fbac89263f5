import ArgumentParser
import Diffusion
import Foundation

/// `rgdm train-property SET.h5 --property NAME -o P.rgdm`: trains a property (reward) model on the
/// training split of a molecule set and reports its MAE and R² on the held-out splits; on a shape
/// set, a PointNet classifier of its categories (`--property class`) or regressor of a shape property.
struct TrainPropertyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-property",
        abstract: "Train a model of one molecular property (an EGNN regressor or a ridge baseline), or a shape classifier.",
        discussion: """
        Trains on the 'train' split of an rgdm molecule set and reports MAE and R² on 'valid' and \
        'test'. --architecture egnn (default) trains an E(3)-invariant EGNN regressor with a pooled \
        head on standardised labels; with --noise-aware it learns f(z_t, t) on molecules noised by the \
        diffusion's forward process at random t (--schedule, --timesteps, --precision, which must match \
        the diffusion model it will guide: rgdm sample --property-model). Ctrl-C saves the run; the same \
        command resumes it (its saved settings kept; --steps or --epochs set the target). \
        --architecture ridge fits ridge regression on invariant descriptors (element counts, smeared \
        distance histograms and 1/d sums per element pair), λ chosen on 'valid'. The file records the \
        property, its standardisation, the vocabulary, the model and its scores (rgdm info shows them). \
        On a shape set in the ShapeNet layout (/<category>/{train,val,test}) it trains a PointNet \
        (--architecture pointnet, the default there): --property class classifies the category groups \
        (held-out accuracy and confusion matrices in the report), --property height or radius regresses \
        that property of the normalised cloud. Clouds are trained on --points random points, rotated \
        about the up axis y unless --no-rotate; the run resumes like an EGNN run. rgdm classify scores \
        clouds and meshes with it. With --noise-aware --guides MODEL (a latent point model) it trains \
        instead an MLP f(z_t, t) on MODEL's latents of the clouds, noised by its prior's forward process, \
        for rgdm sample --model MODEL --property-model FILE --target A (or --class C) --guidance W. \
        Beside it: OUTPUT.log.jsonl, OUTPUT.report.json/.html, OUTPUT.run.json.
        """)

    @Argument(help: "Molecule set from 'rgdm preprocess molecules', or a shape set (HDF5).") var dataset: String
    @Option(help: ArgumentHelp("The property to model: a column of the set's properties (rgdm info lists them); on a shape set class, height or radius.",
                               discussion: "EDM's QM9 names work too: alpha, mu, homo, lumo, gap, Cv (values stay in the set's units)."))
    var property: String
    @OptionGroup var destination: OutputOptions<PropertyModelOutput>
    @Option(help: "egnn (an EGNN regressor; molecules' default), ridge (descriptor ridge regression) or pointnet (shapes).")
    var architecture: PropertyArchitecture?
    @Flag(help: "egnn: train on noised molecules z_t at random t, for gradient guidance; shape sets (with --guides): on noised latents.") var noiseAware = false
    @Option(help: ArgumentHelp("The diffusion model the property model will guide (rgdm sample --property-model): its atom vocabulary, and its forward process for --noise-aware, are used; on a shape set, its encoder's latents and its prior's forward process.",
                               discussion: "A small labelled set may lack elements the diffusion model generates (a few thousand QM9 molecules with no fluorine); the model then still reads every molecule that model draws.",
                               valueName: "model"))
    var guides: String?
    @Option(help: ArgumentHelp("Molecules: the split to train on, a stored one or part K of N of one (train:1/2, train:2/2: the halves of EDM's conditional protocol).",
                               valueName: "split"))
    var split = "train"
    @Option(help: "Use only the first N molecules of each split.") var limit: Int?
    @OptionGroup(title: "EGNN regressor") var network: PropertyModelOptions
    @OptionGroup(title: "PointNet (shape sets)") var pointNet: PointNetOptions
    @OptionGroup(title: "Forward process of a noise-aware model") var diffusion: DiffusionOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if noiseAware && (architecture ?? .egnn) != .egnn { throw ValidationError("--noise-aware needs --architecture egnn") }
        if let limit, limit < 2 { throw ValidationError("--limit must be at least 2") }
        _ = try SplitSelection(parsing: split)
        if guides != nil && (architecture ?? .egnn) == .pointnet { throw ValidationError("--guides is for molecule property models") }
    }

    func run() throws {
        Interruption.install()
        if LabelledShapes.isShapeSet(dataset) || architecture == .pointnet {
            if split != "train" { throw ValidationError("--split is for molecule sets; a shape model trains on the set's train split") }
            return try trainShapeModel()
        }
        var job = PropertyTraining(dataset: dataset, property: property, output: destination.output)
        job.limit = limit
        job.trainingSplit = split
        job.threads = global.workerCount
        var process = PropertyModelCard.NoiseProcess(schedule: diffusion.schedule, timesteps: diffusion.timesteps, precision: diffusion.precision)
        if let guides {
            let card = try TrainedModel(path: guides, threads: 1, useEMA: true).card
            guard card.domain == .molecules else {
                throw PipelineError.invalidModel(path: guides, reason: "property models guide molecule models; this one generates \(card.domain.rawValue)")
            }
            job.vocabulary = card.atomicNumbers
            process = PropertyModelCard.NoiseProcess(schedule: card.schedule, timesteps: card.timesteps, precision: card.schedulePrecision)
        }
        let start = Date()
        let outcome: PropertyTraining.Outcome
        switch architecture ?? .egnn {
        case .pointnet:
            preconditionFailure("shape sets train above")
        case .ridge:
            outcome = try job.fitRidge()
        case .egnn:
            let noise = noiseAware ? process : nil
            var progress: ProgressLine?
            outcome = try job.trainEGNN(network.settings(seed: global.seed, noise: noise), progress: { report, target, loss in
                if progress == nil { progress = ProgressLine(label: "train-property", total: target - report.step + 1) }
                progress?.advance(extra: String(format: "step %d loss %.4f", report.step, loss))
            })
            progress?.finish()
        }
        let seconds = Date().timeIntervalSince(start)
        try RunReport.propertyModel(outcome.card, output: destination.output, step: outcome.step, seconds: seconds)
            .write(base: URL(fileURLWithPath: destination.file.sidecar(.report)))
        let record = URL(fileURLWithPath: destination.file.sidecar(.runRecord))
        try RunRecord(command: "train-property").write(into: record.deletingLastPathComponent(), name: record.lastPathComponent)
        let card = outcome.card
        print("\(card.property): \(card.modelDescription); labels standardised by mean \(String(format: "%.6g", card.labelMean)), "
              + "scale \(String(format: "%.6g", card.labelScale)) → \(destination.output)")
        if outcome.interrupted {
            print("interrupted at step \(outcome.step); run the same command to resume")
        } else {
            for score in card.scores { print(score.summary) }
        }
    }
}
