import HDF5

/// The molecules of one split of a molecule set with their true values of some properties:
/// what the conditional evaluation's bounds are computed on, and where its targets can come from.
public struct LabelledSplit {
    public let source: MoleculeGraphSource
    /// The dataset's column of each property asked for.
    public let columns: [String]
    /// `[molecules, columns]` row-major, split order, dataset units; every value finite.
    public let values: [Double]
    public let path: String
    public let split: String

    /// Reads `split` of the molecule set at `path` and its values of `properties` (column
    /// names or EDM aliases). Throws naming `path` for a missing split or property, and
    /// naming the molecule for a value that is not finite.
    public init(path: String, split: String, properties: [String]) throws {
        guard case let .molecules(source) = try TrainingData.open(path, split: split) else {
            throw PipelineError.invalidDataset(path: path, reason: "not a molecule set")
        }
        let (values, columns) = try MoleculeDataset.readProperties(properties, molecules: source.members,
                                                                   from: HDF5File(readingFrom: path))
        for (i, value) in values.enumerated() where !value.isFinite {
            throw PipelineError.invalidDataset(
                path: path, reason: "molecule \(source.members[i / columns.count]) of split '\(split)' has \(columns[i % columns.count]) = \(value)")
        }
        self.source = source
        self.columns = columns
        self.values = values
        self.path = path
        self.split = split
    }

    public var count: Int { source.count }

    /// The values of property `column` (an index into `columns`): `[molecules]`.
    public func values(ofColumn column: Int) -> [Double] {
        stride(from: column, to: values.count, by: columns.count).map { values[$0] }
    }

    /// The values of molecule `i`: `[columns]`.
    public func values(of i: Int) -> [Double] {
        Array(values[(i * columns.count) ..< ((i + 1) * columns.count)])
    }

    /// `n` (atom count, values) pairs drawn uniformly with replacement: EDM's joint draw of
    /// size and property, from this split's true labels.
    public func drawPairs(_ n: Int, using generator: inout some RandomNumberGenerator) -> (sizes: [Int], values: [[Double]]) {
        let sizes = source.nodeCounts
        let picks = (0 ..< n).map { _ in Int(generator.next(upperBound: UInt64(count))) }
        return (picks.map { sizes[$0] }, picks.map(values(of:)))
    }
}
