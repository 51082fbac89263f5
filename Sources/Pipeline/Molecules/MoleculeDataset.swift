import Diffusion
import Foundation
import HDF5
import PointCloud

/// The rgdm molecule training set in HDF5 (layout in README.md beside this file).
enum MoleculeDataset {
    static let format = "rgdm-molecules"
    static let version = 1

    /// Sizes of the train/valid/test splits of `count` molecules. QM9 follows
    /// EDM: 100,000 train, 10% test, the rest valid; other sets (and QM9
    /// subsets too small for that) 80/10/10.
    static func splitSizes(count: Int, qm9: Bool) -> (train: Int, valid: Int, test: Int) {
        let test = count / 10
        if qm9, count - test > 100_000 { return (100_000, count - test - 100_000, test) }
        let valid = count / 10
        return (count - valid - test, valid, test)
    }

    /// A seeded random partition of 0..<count into sorted train/valid/test indices.
    static func splits(count: Int, qm9: Bool, seed: UInt64) -> (train: [Int], valid: [Int], test: [Int]) {
        var generator = Xoshiro256StarStar(seed: seed)
        let order = Array(0..<count).shuffled(using: &generator)
        let sizes = splitSizes(count: count, qm9: qm9)
        let train = order[0..<sizes.train].sorted()
        let valid = order[sizes.train..<(sizes.train + sizes.valid)].sorted()
        let test = order[(sizes.train + sizes.valid)...].sorted()
        return (train, valid, test)
    }

    /// Writes `molecules` to `path` atomically.
    static func write(_ molecules: [PreparedMolecule], to path: String, source: String, propertyNames: [String],
                      qm9: Bool, seed: UInt64) throws {
        let file = try HDF5File(creating: path)
        let root = file.root
        try root.setAttribute("format", .string(format))
        try root.setAttribute("version", .int(version))
        try root.setAttribute("source", .string(source))
        try root.setAttribute("split_seed", .int(Int(truncatingIfNeeded: seed)))

        var offsets = [Int64(0)]
        offsets.reserveCapacity(molecules.count + 1)
        for molecule in molecules { offsets.append(offsets[offsets.count - 1] + Int64(molecule.atomicNumbers.count)) }
        let atoms = Int(offsets[offsets.count - 1])
        let storage = HDF5Storage.compressed(level: 4)
        try root.createDataset("positions", values: molecules.flatMap(\.positions), shape: [atoms, 3], storage: storage)
        try root.createDataset("atomic_numbers", values: molecules.flatMap(\.atomicNumbers), shape: [atoms], storage: storage)
        try root.createDataset("charges", values: molecules.flatMap(\.charges), shape: [atoms], storage: storage)
        try root.createDataset("atom_offsets", values: offsets, shape: [molecules.count + 1], storage: storage)
        try root.createDataset("smiles", strings: molecules.map(\.smiles))
        let properties = try root.createDataset("properties", values: molecules.flatMap(\.properties),
                                                shape: [molecules.count, propertyNames.count])
        try properties.setAttribute("names", .strings(propertyNames))

        let (train, valid, test) = splits(count: molecules.count, qm9: qm9, seed: seed)
        let group = try root.createGroup("splits")
        try group.createDataset("train", values: train.map(Int64.init), shape: [train.count])
        try group.createDataset("valid", values: valid.map(Int64.init), shape: [valid.count])
        try group.createDataset("test", values: test.map(Int64.init), shape: [test.count])
        try file.commit()
    }

    /// The canonical SMILES of an rgdm HDF5 training set: of the molecules of
    /// `split` when the file has that split (novelty is measured against the
    /// training molecules, as EDM does), else of all molecules.
    static func readSMILES(_ path: String, split: String? = "train") throws -> [String] {
        let file = try HDF5File(readingFrom: path)
        guard (try? file.root.stringAttribute("format")) == format else {
            throw PipelineError.invalidDataset(path: path, reason: "not an rgdm molecule set (root attribute format ≠ \(format))")
        }
        let all = try file.dataset("smiles").readStrings()
        guard let split, file.contains("splits/\(split)") else { return all }
        return try file.dataset("splits/\(split)").read(Int.self, rank: 1).values.map { index in
            guard all.indices.contains(index) else {
                throw PipelineError.invalidDataset(path: path, reason: "splits/\(split) names molecule \(index) of \(all.count)")
            }
            return all[index]
        }
    }
}
