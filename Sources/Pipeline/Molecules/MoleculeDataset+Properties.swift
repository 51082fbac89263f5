import HDF5

extension MoleculeDataset {
    /// EDM's short names of QM9's properties, as `rgdm train --condition` also takes them,
    /// and the columns of `/properties` they name (units stay the dataset's: HOMO, LUMO and
    /// the gap in Hartree, where EDM reports meV).
    static let propertyAliases: [String: String] = [
        "alpha": "Polarizability_bohr3", "mu": "Dipole_debye", "homo": "HOMO_au", "lumo": "LUMO_au",
        "gap": "HOMO_LUMO_gap_au", "cv": "Heatcapacity_Cv_cal_mol_K",
    ]

    /// Whether two names mean the same column: equal ignoring case once EDM aliases are resolved.
    static func sameProperty(_ a: String, _ b: String) -> Bool {
        func canonical(_ name: String) -> String { (propertyAliases[name.lowercased()] ?? name).lowercased() }
        return canonical(a) == canonical(b)
    }

    /// The names of the columns of `/properties` (empty when the set has none).
    static func propertyNames(_ file: HDF5File) throws -> [String] {
        guard file.contains(Dataset.properties) else { return [] }
        guard case let .strings(names) = try file.dataset(Dataset.properties).attribute(Attribute.propertyNames) else {
            throw PipelineError.invalidDataset(path: file.path, reason: "/\(Dataset.properties) has no string attribute '\(Attribute.propertyNames)'")
        }
        return names
    }

    /// The column of `/properties` that `name` means: the column of that name, else of that
    /// name ignoring case, else an EDM alias ("alpha", "mu", "homo", "lumo", "gap", "Cv").
    /// Throws `PipelineError.unknownProperty` naming the file and listing its columns.
    static func propertyColumn(_ name: String, in file: HDF5File) throws -> (index: Int, name: String) {
        let names = try propertyNames(file)
        let alias = propertyAliases[name.lowercased()]
        guard let index = names.firstIndex(of: name)
                ?? names.firstIndex(where: { $0.lowercased() == name.lowercased() })
                ?? alias.flatMap({ names.firstIndex(of: $0) }) else {
            throw PipelineError.unknownProperty(path: file.path, property: name, available: names)
        }
        return (index, names[index])
    }

    /// The values of the columns `names` for the molecules `molecules` (dataset indices):
    /// `[molecules.count, names.count]` row-major, with the columns' own names.
    static func readProperties(_ names: [String], molecules: [Int], from file: HDF5File) throws
        -> (values: [Double], columns: [String])
    {
        let columns = try names.map { try propertyColumn($0, in: file) }
        let table = try file.dataset(Dataset.properties).read(Double.self, rank: 2)
        let width = try propertyNames(file).count
        let rows = width == 0 ? 0 : table.values.count / width
        var values: [Double] = []
        values.reserveCapacity(molecules.count * columns.count)
        for m in molecules {
            guard (0 ..< rows).contains(m) else {
                throw PipelineError.invalidDataset(path: file.path, reason: "/\(Dataset.properties) has \(rows) rows; molecule \(m) has none")
            }
            for column in columns { values.append(table.values[m * width + column.index]) }
        }
        return (values, columns.map(\.name))
    }
}
