import ArgumentParser
import Foundation
import PointCloud

/// `rgdm preprocess shapes [INPUT…] [--procedural] --output shapes.h5`: meshes and point-cloud
/// files and/or procedural shapes → sampled, normalised clouds → one HDF5 file in the ShapeNet
/// layout with a seeded split.
struct PreprocessShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapes",
        abstract: "Meshes / point-cloud files and/or procedural shapes → one HDF5 shape set (ShapeNet layout).",
        discussion: """
        Inputs are files (ply, xyz, pts, off, obj, stl) or folders searched recursively; a file's \
        category is the first folder below the input folder (ModelNet-style trees) or --category. \
        Meshes are sampled on their surface (area-weighted); larger clouds are thinned (--subsampling). \
        --procedural adds SYNTHETIC shapes (chairs, tables, airplanes, lamps, mugs built from primitives \
        with random proportions; --per-category of each). Output: /<category>/{train,val,test} [B, N, 3] \
        float32 with the configuration in root attributes; rejected inputs with reasons in \
        OUTPUT.rejects.tsv; the command line in OUTPUT.run.json.
        """
    )

    @Argument(help: "Shape files or folders of them.")
    var inputs: [String] = []

    @OptionGroup var destination: OutputOptions<HDF5Output>

    @Flag(help: "Add procedural (synthetic) shapes.")
    var procedural = false

    @Option(help: "Procedural categories (repeatable; default: all of chair, table, airplane, lamp, mug).")
    var category: [ProceduralCategory] = []

    @Option(help: "Procedural shapes per category.")
    var perCategory = 2000

    @Option(name: .customLong("file-category"), help: "Category for every input file (default: from folders).")
    var fileCategory: String?

    @Option(help: "Points per shape.")
    var points = 2048

    @Option(help: "Normalisation per shape: none, shape_unit, shape_bbox, unit_sphere.")
    var normalization: PointCloudNormalization = .shapeUnit

    @Option(help: "How clouds larger than --points are thinned: random or fps.")
    var subsampling: CloudSubsampling = .random

    @Option(help: "Train,val,test fractions.")
    var split = "0.8,0.1,0.1"

    @Option(help: "Where rejected inputs go, with reasons (default: OUTPUT with .rejects.tsv).")
    var rejects: String?

    @OptionGroup var options: GlobalOptions

    var splitFractions: [Double] { split.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        if inputs.isEmpty && !procedural { throw ValidationError("give input files or folders, or --procedural") }
        if points < 1 { throw ValidationError("--points must be at least 1") }
        if perCategory < 1 { throw ValidationError("--per-category must be at least 1") }
        let fractions = splitFractions
        if fractions.count != 3 || fractions.contains(where: { $0 < 0 }) || fractions.reduce(0, +) <= 0 {
            throw ValidationError("--split takes three non-negative fractions, e.g. 0.8,0.1,0.1 (got '\(split)')")
        }
    }

    func run() throws {
        var sources: [ShapePreprocessJob.Source] = []
        do {
            sources += try ShapeInputs.collect(inputs, category: fileCategory).map { .file($0) }
        } catch let failure as ValidationFailure {
            throw ValidationError(failure.description)
        }
        if procedural {
            for c in category.isEmpty ? ProceduralCategory.allCases : category {
                sources += (0 ..< perCategory).map { .procedural(c, index: $0) }
            }
        }
        if sources.isEmpty { throw ValidationError("no shape files found in \(inputs.joined(separator: ", "))") }
        let output = destination.output, file = destination.file
        let directory = URL(fileURLWithPath: output).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let job = ShapePreprocessJob(sources: sources, points: points, normalization: normalization, subsampling: subsampling,
                                     splitFractions: splitFractions, seed: options.seed, output: output,
                                     rejectsPath: rejects ?? file.sidecar(.rejects))
        let start = Date()
        let progress = SharedProgress(label: "shapes", total: sources.count)
        let summary = try job.run(workers: options.workerCount) { progress.show($0) }
        try RunRecord(command: "preprocess shapes").write(into: directory, name: URL(fileURLWithPath: file.sidecar(.runRecord)).lastPathComponent)
        var lines = ["preprocess: \(summary.total) shapes of \(points) points → \(output) (\(String(format: "%.1f", Date().timeIntervalSince(start))) s, \(options.workerCount) workers)"]
        for (category, splits) in summary.shapes.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(category): " + ShapeNetLayout.splits.map { "\($0) \(splits[$0] ?? 0)" }.joined(separator: ", "))
        }
        lines.append("preprocess: \(summary.rejected.count) rejected → \(job.rejectsPath)")
        if options.verbose { for (source, reason) in summary.rejected.prefix(20) { lines.append("  \(source): \(reason)") } }
        print(lines.joined(separator: "\n"))
    }
}
