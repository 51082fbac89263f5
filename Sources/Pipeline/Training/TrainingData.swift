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

    /// Opens `path`, an HDF5 file written by `rgdm preprocess molecules` (a molecule set,
    /// `MoleculeDataset`) or `rgdm preprocess shapes` (a shape set in the ShapeNet layout,
    /// `ShapeNetLayout`), and keeps the graphs of `split` (`limit` keeps the first graphs only).
    /// Errors name `path`.
    public static func open(_ path: String, split: String, limit: Int? = nil) throws -> TrainingData {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidDataset(path: path, reason: "no such file")
        }
        let file = try HDF5File(readingFrom: path)
        if MoleculeDataset.isMoleculeSet(file) {
            return .molecules(try openMolecules(file, split: split, limit: limit))
        }
        return .shapes(try openShapes(file, split: split, limit: limit))
    }

    private static func openMolecules(_ file: HDF5File, split: String, limit: Int?) throws -> MoleculeGraphSource {
        try MoleculeDataset.read(file, split: split, limit: limit)
    }

    private static func openShapes(_ file: HDF5File, split: String, limit: Int?) throws -> ShapeGraphSource {
        guard let clouds = try ShapeNetLayout.readSplit(file, split: split) else {
            throw PipelineError.invalidDataset(
                path: file.path, reason: "neither an rgdm molecule set (format attribute) nor a shape set with '\(split)' datasets under category groups")
        }
        let shapes = limit.map { min(clouds.count, $0) } ?? clouds.count
        return try ShapeGraphSource(points: Array(clouds.points.prefix(shapes * clouds.pointCount * 3)),
                                    pointCount: clouds.pointCount, source: file.path)
    }
}
