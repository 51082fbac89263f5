import ArgumentParser
import Foundation
import PointCloud

/// `rgdm gallery [NAME=]FILE… --output BASE`: shape sets side by side, a row of pictures each.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Shape sets side by side: one page with a row of pictures (three projections) per set.",
        discussion: """
        Each argument is a shape set (an HDF5 file, a folder of shape files or one shape file), \
        optionally named as NAME=FILE. The first --per-set clouds of each (evenly spaced over an \
        HDF5 file's clouds with --spread) go into a row; writes BASE.html and BASE.json. E.g. the \
        samples of a base model, its RGDM fine-tuning and a class-conditional model, side by side.
        """)

    @Argument(help: "Shape sets, each FILE or NAME=FILE.") var sets: [String]
    @Option(name: .shortAndLong, help: "Report base: writes BASE.html and BASE.json.") var output: String
    @Option(help: "Pictures per set.") var perSet = 8
    @Flag(help: "Spread the pictures evenly over each set instead of taking its first clouds.") var spread = false
    @Option(help: "The page's title.") var title = "rgdm shape gallery"

    func validate() throws {
        if sets.isEmpty { throw ValidationError("give at least one shape set") }
        if perSet < 1 { throw ValidationError("--per-set must be at least 1") }
    }

    /// (name, path) of an argument NAME=FILE or FILE (named by its file name).
    static func named(_ argument: String) -> (name: String, path: String) {
        if let equals = argument.firstIndex(of: "="), !FileManager.default.fileExists(atPath: argument) {
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
        return (URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent, argument)
    }

    func run() throws {
        var report = RunReport(title: title, summary: "\(sets.count) shape sets, \(perSet) pictures each (xy, xz and yz projections).")
        var files: [[String: Any]] = []
        for argument in sets {
            let (name, path) = Self.named(argument)
            let loader = ShapeSetLoader(split: nil, categories: nil, points: nil, normalization: .none, limit: nil, seed: 0)
            let (all, notes) = try loader.load(path)
            for note in notes { FileHandle.standardError.write(Data("rgdm gallery: \(note)\n".utf8)) }
            let shown = spread ? ShapeSetLoader.evenlySpaced(all, limit: perSet) : Array(all.prefix(perSet))
            report.rows.append((title: "\(name) (\(path), \(all.count) shapes)", tiles: shown.enumerated().map { k, cloud in
                RunReport.Figure(caption: "\(name) \(k + 1)",
                                 svg: SVGPointCloud(positions: cloud.flatPositions, caption: "\(name) \(k + 1)").render())
            }))
            files.append(["name": name, "path": path, "shapes": all.count, "shown": shown.count])
        }
        report.json = ["kind": "shape gallery", "sets": files]
        try report.write(base: URL(fileURLWithPath: output))
        print("gallery of \(sets.count) sets → \(output).html")
    }
}
