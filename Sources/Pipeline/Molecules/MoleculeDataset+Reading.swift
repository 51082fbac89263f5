import HDF5

extension MoleculeDataset {
    /// The molecules of `split` (a stored split or a part of one: `SplitSelection`) as diffusion
    /// graphs (`limit` keeps the first ones only), over
    /// `vocabulary` (default: every atomic number in the set). Errors name `file`'s path: a
    /// missing or empty split, a non-finite coordinate, offsets that disagree with the atoms, an
    /// element outside the given vocabulary.
    static func read(_ file: HDF5File, split: String, limit: Int? = nil, vocabulary: [Int]? = nil) throws -> MoleculeGraphSource {
        let path = file.path
        let positions = try file.dataset(Dataset.positions).read(Float.self, rank: 2)
        let numbers = try file.dataset(Dataset.atomicNumbers).read(Int.self, rank: 1).values
        let offsets = try file.dataset(Dataset.atomOffsets).read(Int.self, rank: 1).values
        var members = try members(of: split, in: file)
        if let limit { members = Array(members.prefix(limit)) }
        guard !members.isEmpty else { throw PipelineError.invalidDataset(path: path, reason: "split '\(split)' is empty") }
        if let bad = positions.values.firstIndex(where: { !$0.isFinite }) {
            throw PipelineError.invalidDataset(path: path, reason: "atom \(bad / 3) has a non-finite coordinate")
        }
        let vocabulary = vocabulary ?? Array(Set(numbers)).sorted()
        return try MoleculeGraphSource(positions: positions.values, atomicNumbers: numbers, atomOffsets: offsets,
                                       members: members, vocabulary: vocabulary, source: path)
    }

    /// The molecule indices of `split` (`SplitSelection`: a stored split, or part K of N of it).
    /// Throws `PipelineError.invalidDataset` naming the file when the stored split is missing,
    /// `.invalidSplit` when `split` does not parse.
    static func members(of split: String, in file: HDF5File) throws -> [Int] {
        let selection = try SplitSelection(parsing: split)
        let splitPath = Dataset.split(selection.name)
        guard file.contains(splitPath) else {
            throw PipelineError.invalidDataset(path: file.path, reason: "no split '\(selection.name)' (expected dataset \(splitPath))")
        }
        return selection.select(try file.dataset(splitPath).read(Int.self, rank: 1).values)
    }

    /// The canonical SMILES of the molecule set at `path`: of the molecules of `split` when the
    /// file has that split (novelty is measured against the training molecules, as EDM does),
    /// else of all molecules.
    static func readSMILES(_ path: String, split: String? = "train") throws -> [String] {
        let file = try HDF5File(readingFrom: path)
        guard isMoleculeSet(file) else {
            throw PipelineError.invalidDataset(path: path, reason: "not an rgdm molecule set (root attribute format ≠ \(format))")
        }
        let all = try file.dataset(Dataset.smiles).readStrings()
        guard let split, file.contains(Dataset.split(split)) else { return all }
        return try file.dataset(Dataset.split(split)).read(Int.self, rank: 1).values.map { index in
            guard all.indices.contains(index) else {
                throw PipelineError.invalidDataset(path: path, reason: "\(Dataset.split(split)) names molecule \(index) of \(all.count)")
            }
            return all[index]
        }
    }
}
