import Diffusion
import Foundation
import PointCloud

/// Sampled graphs → point-cloud files.
enum ShapeDecoding {
    /// Writes the clouds as one `[N, P, 3]` float32 dataset `generated/test`
    /// (ShapeNet layout) in an HDF5 file.
    static func write(_ results: [SampleResult], to path: String) throws {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard ext == "h5" || ext == "hdf5" else {
            throw PipelineError.unsupportedOutput(path: path, reason: "shapes are written as .h5 (got .\(ext))")
        }
        guard let pointCount = results.first?.layout.nodeCounts.first else { return }
        var points: [Float] = []
        for result in results { points += result.positions }
        let shapes = points.count / (pointCount * 3)
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let file = try HDF5File(creating: path)
        try file.root.setAttribute("source", .string("rgdm sample"))
        try file.root.createDataset("generated/test", values: points, shape: [shapes, pointCount, 3])
        try file.commit()
    }
}
