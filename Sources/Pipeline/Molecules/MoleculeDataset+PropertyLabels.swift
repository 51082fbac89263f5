import HDF5

extension MoleculeDataset {
    /// Property `column` of `molecules` (indices into the set, e.g. a split's members), in order,
    /// as labels a property model trains on: a NaN or infinite value throws, naming the file, the
    /// molecule (record) and its SMILES.
    static func readLabels(_ file: HDF5File, column: (index: Int, name: String), molecules: [Int]) throws -> [Double] {
        let values = try readProperties([column.name], molecules: molecules, from: file).values
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            let m = molecules[bad]
            let smiles = (try? file.dataset(Dataset.smiles).readStrings()).flatMap { $0.indices.contains(m) ? $0[m] : nil }
            throw PipelineError.invalidDataset(
                path: file.path, reason: "molecule \(m)\(smiles.map { " (\($0))" } ?? "") has \(column.name) = \(values[bad]); "
                    + "a property model needs a finite label for every molecule of the split")
        }
        return values
    }
}
