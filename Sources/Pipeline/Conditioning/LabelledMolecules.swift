import Diffusion
import Foundation
import HDF5

/// One split of a molecule set with one property's labels, for training and scoring property models.
struct LabelledMolecules {
    let graphs: MoleculeGraphSource
    /// `[graphs.count]`, in the split's order.
    let labels: [Double]
    /// The `properties` column (an alias such as "alpha" resolved).
    let property: String
    let split: String

    /// Split `split` of the molecule set at `path` (the first `limit` molecules) and its `property`
    /// labels, over `vocabulary` (default: the set's elements). Throws `PipelineError.invalidDataset`
    /// naming the file: not a molecule set, a missing or empty split, a property it does not store,
    /// a label that is NaN (naming the molecule), an element outside `vocabulary`.
    static func open(_ path: String, split: String, property: String, limit: Int? = nil,
                     vocabulary: [Int]? = nil) throws -> LabelledMolecules {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidDataset(path: path, reason: "no such file")
        }
        let file = try HDF5File(readingFrom: path)
        guard MoleculeDataset.isMoleculeSet(file) else {
            throw PipelineError.invalidDataset(path: path, reason: "not an rgdm molecule set (rgdm preprocess molecules writes those)")
        }
        let column = try MoleculeDataset.propertyColumn(property, in: file)
        let graphs = try MoleculeDataset.read(file, split: split, limit: limit, vocabulary: vocabulary)
        let labels = try MoleculeDataset.readLabels(file, column: column, molecules: graphs.members)
        return LabelledMolecules(graphs: graphs, labels: labels, property: column.name, split: split)
    }

    /// Whether the file at `path` has a non-empty split `split` (`SplitSelection`).
    static func hasSplit(_ path: String, split: String) -> Bool {
        guard let file = try? HDF5File(readingFrom: path), let members = try? MoleculeDataset.members(of: split, in: file) else { return false }
        return !members.isEmpty
    }

    /// Mean and standard deviation of the labels (the standardisation of a model trained on them).
    var labelMoments: (mean: Double, scale: Double) {
        let n = Double(labels.count), mean = labels.reduce(0, +) / n
        let variance = labels.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return (mean, variance.squareRoot())
    }

    /// `model`'s predictions of every graph, `batchSize` at a time.
    func predictions(of model: some PropertyPredictor, batchSize: Int = 256) throws -> [Double] {
        var result: [Double] = []
        for start in stride(from: 0, to: graphs.count, by: batchSize) {
            result += try model.predict(graphs.batch(at: Array(start ..< min(start + batchSize, graphs.count))))
        }
        return result
    }
}
