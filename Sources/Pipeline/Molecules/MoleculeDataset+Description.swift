import HDF5

extension MoleculeDataset {
    /// What a molecule set holds, for `rgdm info`.
    struct Description: Equatable {
        var path: String
        var molecules: Int
        var atoms: Int
        var atomsPerMolecule: AtomCounts
        /// How many atoms of each atomic number.
        var atomicNumberCounts: [Int: Int]
        /// Molecules per split, for the splits the file has.
        var splits: [String: Int]
        /// The `source` attribute (the inputs), when present.
        var source: String?
        /// The `properties` columns, when the set has them.
        var properties: [String]?

        /// Atoms per molecule: smallest, largest and mean (nil without molecules).
        struct AtomCounts: Equatable {
            var min: Int
            var max: Int
            var mean: Double?
        }

        /// A JSON-ready dictionary (`kind` "molecule dataset"; atomic numbers as string keys).
        var json: [String: Any] {
            var result: [String: Any] = [
                "kind": "molecule dataset", "path": path, "molecules": molecules, "atoms": atoms,
                "atoms_per_molecule": ["min": atomsPerMolecule.min, "max": atomsPerMolecule.max,
                                       "mean": atomsPerMolecule.mean.map { $0 as Any } ?? 0] as [String: Any],
                "atomic_number_counts": Dictionary(uniqueKeysWithValues: atomicNumberCounts.map { (String($0.key), $0.value) }),
                "splits": splits,
            ]
            if let source { result["source"] = source }
            if let properties { result["properties"] = properties }
            return result
        }
    }

    /// Sizes, splits, element counts and property names of the molecule set `file`.
    static func describe(_ file: HDF5File) throws -> Description {
        let numbers = try file.dataset(Dataset.atomicNumbers).read(Int.self, rank: 1).values
        let offsets = try file.dataset(Dataset.atomOffsets).read(Int.self, rank: 1).values
        let sizes = zip(offsets.dropFirst(), offsets).map { $0 - $1 }
        var elements: [Int: Int] = [:]
        for z in numbers { elements[z, default: 0] += 1 }
        var splits: [String: Int] = [:]
        for name in splitNames where file.contains(Dataset.split(name)) {
            splits[name] = try file.dataset(Dataset.split(name)).shape().first ?? 0
        }
        var properties: [String]?
        if file.contains(Dataset.properties), case let .strings(names)? = try? file.dataset(Dataset.properties).attribute(Attribute.propertyNames) {
            properties = names
        }
        return Description(
            path: file.path, molecules: sizes.count, atoms: numbers.count,
            atomsPerMolecule: .init(min: sizes.min() ?? 0, max: sizes.max() ?? 0,
                                    mean: sizes.isEmpty ? nil : Double(numbers.count) / Double(sizes.count)),
            atomicNumberCounts: elements, splits: splits, source: try? file.root.stringAttribute(Attribute.source),
            properties: properties)
    }
}
