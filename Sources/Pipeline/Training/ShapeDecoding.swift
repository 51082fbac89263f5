import Diffusion
import Foundation
import HDF5
import PointCloud

/// Sampled graphs → point-cloud files.
enum ShapeDecoding {
    /// The point-cloud format of an output path; checked before sampling, so that a
    /// wrong extension costs nothing.
    static func outputFormat(_ path: String) throws -> ShapeFileFormat {
        guard let format = ShapeFileFormat(path: path), format != .off, format != .stl else {
            throw PipelineError.unsupportedOutput(
                path: path, reason: "shapes are written as .h5 (all in one file) or .ply, .xyz, .pts, .obj (one file per shape)")
        }
        return format
    }

    /// Writes the sampled clouds in the format of `path`'s extension: `.h5` holds
    /// them all as one `[N, P, 3]` float32 dataset `generated/test` (ShapeNet
    /// layout); `.ply`, `.xyz`, `.pts` and `.obj` hold one cloud each, so one
    /// sample goes to `path` itself and several to numbered files beside it
    /// (`shapes.ply` → `shapes-001.ply`, `shapes-002.ply`, …). Returns the paths written.
    @discardableResult
    static func write(_ results: [SampleResult], to path: String) throws -> [String] {
        let format = try outputFormat(path)
        guard let pointCount = results.first?.layout.nodeCounts.first else { return [] }
        var points: [Float] = []
        for result in results { points += result.positions }
        let shapes = points.count / (pointCount * 3)
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if format == .hdf5 {
            let clouds = (0 ..< shapes).map { PointCloud(flatPositions: Array(points[$0 * pointCount * 3 ..< ($0 + 1) * pointCount * 3])) }
            try ShapeNetLayout.write([.init(category: "generated", split: "test", clouds: clouds)], pointCount: pointCount, to: path,
                                     attributes: [ShapeNetLayout.Attribute.source: .string("rgdm sample")], storage: .contiguous)
            return [path]
        }
        let digits = max(3, String(shapes).count), stem = url.deletingPathExtension().lastPathComponent
        var written: [String] = []
        for index in 0 ..< shapes {
            let cloud = PointCloud(flatPositions: Array(points[index * pointCount * 3 ..< (index + 1) * pointCount * 3]))
            let number = String(format: "%0\(digits)d", index + 1)
            let target = shapes == 1 ? path
                : url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(number).\(url.pathExtension)").path
            try ShapeFile.write(cloud, to: target, format: format)
            written.append(target)
        }
        return written
    }
}
