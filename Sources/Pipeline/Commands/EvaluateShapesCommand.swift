import ArgumentParser
import Foundation
import HDF5
import PointCloud

/// `rgdm evaluate shapes GENERATED --reference REFERENCE [--json]`: MMD, COV and 1-NNA with
/// Chamfer and EMD (PointFlow / Luo & Hu definitions).
struct EvaluateShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapes",
        abstract: "MMD, COV and 1-NNA (Chamfer and EMD) of generated point clouds against a reference set.",
        discussion: """
        Both sides: an HDF5 file (ShapeNet layout /<category>/<split>, ModelNet40 data/label, or rgdm's \
        points), a folder of shape files (meshes are sampled), or one file. Clouds are thinned to \
        --points (default: the smallest cloud) and normalised per shape (--normalization; Luo & Hu \
        evaluate with shape_bbox). EMD is exact up to 256 points and otherwise an ε-scaling auction \
        within --emd-tolerance (relative) of the exact value. With --json, one object on stdout with \
        mmd_cd, cov_cd, nna_cd, mmd_emd, cov_emd, nna_emd, count_generated, count_reference.
        """
    )

    @Argument(help: "Generated shapes: HDF5 file, folder or shape file.")
    var generated: String

    @Option(help: "Reference shapes: HDF5 file, folder or shape file.")
    var reference: String

    @Option(help: "Split to read from ShapeNet-layout HDF5 files (all splits when a file has none of that name).")
    var split = "test"

    @Option(help: "Split to read from the generated file when it differs from --split.")
    var generatedSplit: String?

    @Option(name: .customLong("category"),
            help: "Categories to keep (repeatable; default all); applied to the generated side too when it has them.")
    var categories: [String] = []

    @Option(help: "Points per cloud (default: the smallest cloud of both sets).")
    var points: Int?

    @Option(help: "Normalisation of every cloud before the metrics: none, shape_unit, shape_bbox, unit_sphere.")
    var normalization: PointCloudNormalization = .shapeBBox

    @Option(help: "At most this many clouds from each set, evenly spaced through it (every category stays in).")
    var limit: Int?

    @Flag(help: "Skip the EMD metrics (much faster; mmd_emd, cov_emd and nna_emd are null).")
    var noEMD = false

    @Option(help: "EMD approximation bound relative to the EMD (auction above 256 points).")
    var emdTolerance = 1e-3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if let points, points < 1 { throw ValidationError("--points must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if !(emdTolerance > 0) { throw ValidationError("--emd-tolerance must be positive") }
    }

    /// Loads both sets and computes the metrics; `progress` sees every finished pair.
    func evaluate(progress: (@Sendable (CloudDistance, ShapeSetMetrics.Stage, Int, Int) -> Void)? = nil) throws -> (metrics: ShapeSetMetrics, points: Int) {
        let loader = ShapeSetLoader(split: split, categories: categories.isEmpty ? nil : Set(categories), points: points,
                                    normalization: normalization, limit: limit, seed: options.seed)
        var generatedLoader = loader
        generatedLoader.split = generatedSplit ?? split
        if let wanted = loader.categories, ShapeFileFormat(path: generated) == .hdf5,
           Set(try ShapeNetLayout.categories(in: HDF5File(readingFrom: generated))).isDisjoint(with: wanted) {
            generatedLoader.categories = nil   // e.g. rgdm sample's single "generated" group
        }
        let (generatedClouds, notesG) = try generatedLoader.load(generated)
        let (referenceClouds, notesR) = try loader.load(reference)
        for note in notesG + notesR { FileHandle.standardError.write(Data("evaluate: \(note)\n".utf8)) }
        let prepared = try loader.prepare([generatedClouds, referenceClouds])
        let metrics = ShapeSetMetrics.evaluate(
            generated: prepared[0], reference: prepared[1], includeEMD: !noEMD,
            emdSolver: .automatic(exactLimit: 256, relativeTolerance: emdTolerance), threads: options.workerCount, progress: progress)
        return (metrics, prepared[0].first?.count ?? 0)
    }

    func run() throws {
        let progress = SharedProgress(label: "pairs", total: nil)
        let start = Date()
        let (metrics, pointCount) = try evaluate { distance, stage, done, total in
            progress.update(done: done, extra: "\(distance.rawValue) \(stage.rawValue) of \(total)")
        }
        progress.finish()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(metrics), as: UTF8.self))
            return
        }
        func percent(_ v: Double?) -> String { v.map { String(format: "%6.2f%%", 100 * $0) } ?? "     —" }
        func value(_ v: Double?) -> String { v.map { String(format: "%.6e", $0) } ?? "—" }
        print("""
        shapes: \(metrics.countGenerated) generated vs \(metrics.countReference) reference, \(pointCount) points, \
        \(normalization.rawValue), \(String(format: "%.1f", Date().timeIntervalSince(start))) s
                 MMD            COV      1-NNA
        CD   \(value(metrics.mmdCD))  \(percent(metrics.covCD))  \(percent(metrics.nnaCD))
        EMD  \(value(metrics.mmdEMD))  \(percent(metrics.covEMD))  \(percent(metrics.nnaEMD))
        """)
    }
}
