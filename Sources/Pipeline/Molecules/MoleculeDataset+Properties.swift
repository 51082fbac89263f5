import HDF5

extension MoleculeDataset {
    /// EDM's short names of the QM9 properties it conditions on, and the `properties` columns
    /// they name (units as the column names say: the orbital energies stay in hartree).
    static let propertyAliases = [
        "alpha": "Polarizability_bohr3", "mu": "Dipole_debye", "homo": "HOMO_au", "lumo": "LUMO_au",
        "gap": "HOMO_LUMO_gap_au", "Cv": "Heatcapacity_Cv_cal_mol_K",
    ]

    /// The names of `file`'s `properties` columns (empty when it has none).
    static func propertyNames(_ file: HDF5File) throws -> [String] {
        guard file.contains(Dataset.properties) else { return [] }
        guard case let .strings(names) = try file.dataset(Dataset.properties).attribute(Attribute.propertyNames) else {
            throw PipelineError.invalidDataset(path: file.path, reason: "\(Dataset.properties) has no string attribute '\(Attribute.propertyNames)'")
        }
        return names
    }

    /// The column `name` names (itself, or the column an EDM alias such as "alpha" stands for).
    /// Throws naming the file and the columns it has when there is no such column.
    static func propertyColumn(_ file: HDF5File, name: String) throws -> (index: Int, name: String) {
        let names = try propertyNames(file)
        guard !names.isEmpty else {
            throw PipelineError.invalidDataset(path: file.path, reason: "it stores no properties (no dataset \(Dataset.properties))")
        }
        let resolved = names.contains(name) ? name : propertyAliases[name] ?? name
        guard let index = names.firstIndex(of: resolved) else {
            let aliases = propertyAliases.filter { names.contains($0.value) }.keys.sorted()
            throw PipelineError.invalidDataset(
                path: file.path, reason: "no property '\(name)'; it has \(names.joined(separator: ", "))"
                    + (aliases.isEmpty ? "" : " (aliases: \(aliases.joined(separator: ", ")))"))
        }
        return (index, resolved)
    }

    /// Property `column` of `molecules` (indices into the set, e.g. a split's members), in order.
    /// A NaN or infinite value throws, naming the file, the molecule (record) and its SMILES.
    static func readProperty(_ file: HDF5File, column: (index: Int, name: String), molecules: [Int]) throws -> [Double] {
        let table = try file.dataset(Dataset.properties).read(Double.self, rank: 2)
        let columns = table.shape[1], rows = table.shape[0]
        return try molecules.map { m in
            guard (0 ..< rows).contains(m) else {
                throw PipelineError.invalidDataset(path: file.path, reason: "molecule \(m) has no row in \(Dataset.properties) (\(rows) rows)")
            }
            let value = table.values[m * columns + column.index]
            guard value.isFinite else {
                let smiles = (try? file.dataset(Dataset.smiles).readStrings()).flatMap { $0.indices.contains(m) ? $0[m] : nil }
                throw PipelineError.invalidDataset(
                    path: file.path, reason: "molecule \(m)\(smiles.map { " (\($0))" } ?? "") has \(column.name) = \(value); "
                        + "a property model needs a finite label for every molecule of the split")
            }
            return value
        }
    }
}
