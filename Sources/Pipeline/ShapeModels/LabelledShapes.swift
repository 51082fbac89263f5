import Diffusion
import Foundation
import HDF5
import PointCloud

/// One split of a shape set in the ShapeNet layout (`/<category>/{train,val,test}`) with each
/// cloud's class, the index of its category group: what a shape model trains on and is scored
/// on. Clouds are normalised as the model reads them; a regressor's labels are computed from them.
public struct LabelledShapes: GraphDataSource {
    public let path: String
    public let split: String
    /// The classes, in index order: the file's category groups in name order, or the card's.
    public let categories: [String]
    /// Normalised clouds: `[count]`.
    public let clouds: [PointCloud]
    /// The class of each cloud: `[count]`, indices into `categories`.
    public let classes: [Int]

    /// The split `split` of `path`, clouds normalised by `normalization`; classes index `categories`
    /// (default: every category group of the file, in name order), which must name every group
    /// holding clouds of the split. At most `limit` clouds per category.
    public static func open(_ path: String, split: String, normalization: PointCloudNormalization, categories: [String]? = nil,
                            limit: Int? = nil) throws -> LabelledShapes {
        let file = try Self.file(path)
        let groups = try ShapeNetLayout.categories(in: file).sorted()
        let classes = categories ?? groups
        var clouds: [PointCloud] = [], labels: [Int] = []
        for group in groups where file.contains(ShapeNetLayout.datasetPath(category: group, split: split)) {
            let set = try ShapeNetLayout.read(file, split: split, categories: [group])
            guard !set.clouds.isEmpty else { continue }
            guard let label = classes.firstIndex(of: group) else {
                throw PipelineError.invalidDataset(
                    path: path, reason: "category '\(group)' of the '\(split)' split is not one the model knows (\(classes.joined(separator: ", ")))")
            }
            let kept = limit.map { Array(set.clouds.prefix($0)) } ?? set.clouds
            clouds += kept.map { $0.normalized(normalization) }
            labels += Array(repeating: label, count: kept.count)
        }
        return LabelledShapes(path: path, split: split, categories: classes, clouds: clouds, classes: labels)
    }

    /// Whether `path` has clouds in `split`.
    public static func hasSplit(_ path: String, split: String) throws -> Bool {
        let file = try Self.file(path)
        for group in try ShapeNetLayout.categories(in: file) {
            let name = ShapeNetLayout.datasetPath(category: group, split: split)
            if file.contains(name), try (file.dataset(name).shape().first ?? 0) > 0 { return true }
        }
        return false
    }

    /// Whether `path` is a shape set in the ShapeNet layout, not a molecule set (whose
    /// `splits/train` group would pass for a category).
    public static func isShapeSet(_ path: String) -> Bool {
        guard let file = try? HDF5File(readingFrom: path), !MoleculeDataset.isMoleculeSet(file) else { return false }
        return (try? ShapeNetLayout.matches(file)) ?? false
    }

    private static func file(_ path: String) throws -> HDF5File {
        guard FileManager.default.fileExists(atPath: path) else { throw PipelineError.invalidDataset(path: path, reason: "no such file") }
        let file = try HDF5File(readingFrom: path)
        guard !MoleculeDataset.isMoleculeSet(file), try ShapeNetLayout.matches(file) else {
            throw PipelineError.invalidDataset(path: path, reason: "not a shape set in the ShapeNet layout (/<category>/{train,val,test} [B, N, 3])")
        }
        return file
    }

    public var count: Int { clouds.count }

    /// The regression labels of `property`: `[count]`.
    public func values(of property: ShapeProperty) -> [Double] { clouds.map(property.value(of:)) }

    public func batch(at indices: [Int]) throws -> GraphBatch {
        GraphBatch(layout: GraphLayout(nodeCounts: indices.map { clouds[$0].count }), positions: indices.flatMap { clouds[$0].flatPositions },
                   features: [])
    }
}
