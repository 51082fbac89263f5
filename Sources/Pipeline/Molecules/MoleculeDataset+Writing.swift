import HDF5

extension MoleculeDataset {
    /// Writes `molecules` to `path` atomically, with a seeded split.
    static func write(_ molecules: [PreparedMolecule], to path: String, source: String, propertyNames: [String],
                      qm9: Bool, seed: UInt64) throws {
        let file = try HDF5File(creating: path)
        let root = file.root
        try root.setAttribute(Attribute.format, .string(format))
        try root.setAttribute(Attribute.version, .int(version))
        try root.setAttribute(Attribute.source, .string(source))
        try root.setAttribute(Attribute.splitSeed, .int(Int(truncatingIfNeeded: seed)))

        var offsets = [Int64(0)]
        offsets.reserveCapacity(molecules.count + 1)
        for molecule in molecules { offsets.append(offsets[offsets.count - 1] + Int64(molecule.atomicNumbers.count)) }
        let atoms = Int(offsets[offsets.count - 1])
        let storage = HDF5Storage.compressed(level: 4)
        try root.createDataset(Dataset.positions, values: molecules.flatMap(\.positions), shape: [atoms, 3], storage: storage)
        try root.createDataset(Dataset.atomicNumbers, values: molecules.flatMap(\.atomicNumbers), shape: [atoms], storage: storage)
        try root.createDataset(Dataset.charges, values: molecules.flatMap(\.charges), shape: [atoms], storage: storage)
        try root.createDataset(Dataset.atomOffsets, values: offsets, shape: [molecules.count + 1], storage: storage)
        try root.createDataset(Dataset.smiles, strings: molecules.map(\.smiles))
        let properties = try root.createDataset(Dataset.properties, values: molecules.flatMap(\.properties),
                                                shape: [molecules.count, propertyNames.count])
        try properties.setAttribute(Attribute.propertyNames, .strings(propertyNames))

        let (train, valid, test) = splits(count: molecules.count, qm9: qm9, seed: seed)
        let group = try root.createGroup(Dataset.splits)
        for (name, members) in zip(splitNames, [train, valid, test]) {
            try group.createDataset(name, values: members.map(Int64.init), shape: [members.count])
        }
        try file.commit()
    }
}
