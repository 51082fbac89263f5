import Diffusion
import Foundation
import HDF5
import PointCloud

/// A training set opened for diffusion training, whichever domain it holds.
public enum TrainingData {
    case molecules(MoleculeGraphSource)
    case shapes(ShapeGraphSource)

    public var source: any GraphDataSource {
        switch self {
        case let .molecules(m): m
        case let .shapes(s): s
        }
    }

    public var domain: ModelDomain {
        switch self {
        case .molecules: .molecules
        case .shapes: .shapes
        }
    }

    /// Opens `path`, an HDF5 file written by `rgdm preprocess molecules`
    /// (root attribute format = "rgdm-molecules") or `rgdm preprocess shapes`
    /// (ShapeNet layout `/<category>/{train,val,test}` of `[B, N, 3]`), and
    /// keeps the graphs of `split` (`limit` keeps the first graphs only).
    public static func open(_ path: String, split: String, limit: Int? = nil) throws -> TrainingData {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidDataset(path: path, reason: "no such file")
        }
        let file = try HDF5File(readingFrom: path)
        if (try? file.root.stringAttribute("format")) == "rgdm-molecules" {
            return .molecules(try openMolecules(file, path: path, split: split, limit: limit))
        }
        return .shapes(try openShapes(file, path: path, split: split, limit: limit))
    }

    private static func openMolecules(_ file: HDF5File, path: String, split: String, limit: Int?) throws -> MoleculeGraphSource {
        let positions = try file.dataset("positions").read(Float.self, rank: 2)
        let numbers = try file.dataset("atomic_numbers").read(Int.self, rank: 1).values
        let offsets = try file.dataset("atom_offsets").read(Int.self, rank: 1).values
        let splitPath = "splits/\(split)"
        guard file.contains(splitPath) else {
            throw PipelineError.invalidDataset(path: path, reason: "no split '\(split)' (expected dataset \(splitPath))")
        }
        var members = try file.dataset(splitPath).read(Int.self, rank: 1).values
        if let limit { members = Array(members.prefix(limit)) }
        guard !members.isEmpty else { throw PipelineError.invalidDataset(path: path, reason: "split '\(split)' is empty") }
        if let bad = positions.values.firstIndex(where: { !$0.isFinite }) {
            throw PipelineError.invalidDataset(path: path, reason: "atom \(bad / 3) has a non-finite coordinate")
        }
        let vocabulary = Array(Set(numbers)).sorted()
        return try MoleculeGraphSource(positions: positions.values, atomicNumbers: numbers, atomOffsets: offsets,
                                       members: members, vocabulary: vocabulary, source: path)
    }

    private static func openShapes(_ file: HDF5File, path: String, split: String, limit: Int?) throws -> ShapeGraphSource {
        // Every category group's `split` dataset, concatenated in name order.
        var clouds: [Float] = [], pointCount: Int?
        for category in try file.root.groupNames().sorted() {
            let datasetPath = "\(category)/\(split)"
            guard file.contains(datasetPath) else { continue }
            let array = try file.dataset(datasetPath).read(Float.self, rank: 3)
            guard array.shape[2] == 3 else {
                throw PipelineError.invalidDataset(path: path, reason: "\(datasetPath) has shape \(array.shape); expected [B, N, 3]")
            }
            if let n = pointCount, n != array.shape[1] {
                throw PipelineError.invalidDataset(path: path, reason: "\(datasetPath) has \(array.shape[1]) points per shape, others \(n)")
            }
            pointCount = array.shape[1]
            clouds += array.values
        }
        guard let pointCount, !clouds.isEmpty else {
            throw PipelineError.invalidDataset(
                path: path, reason: "neither an rgdm molecule set (format attribute) nor a shape set with '\(split)' datasets under category groups")
        }
        var shapes = clouds.count / (pointCount * 3)
        if let limit { shapes = min(shapes, limit) }
        return try ShapeGraphSource(points: Array(clouds.prefix(shapes * pointCount * 3)), pointCount: pointCount, source: path)
    }
}
