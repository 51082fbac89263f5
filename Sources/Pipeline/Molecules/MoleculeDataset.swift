import Diffusion
import HDF5

/// Owner of the rgdm molecule set, the HDF5 file `rgdm preprocess molecules` writes and
/// `rgdm train` reads (layout in README.md beside this file): it writes, reads and describes
/// the layout, whose dataset and attribute names are the constants below.
///
///     /positions        [atoms, 3] float32      /smiles       [molecules] UTF-8 strings
///     /atomic_numbers   [atoms] uint8           /properties   [molecules, P] float64, @names
///     /charges          [atoms] int8            /splits/{train,valid,test}  [n] int64
///     /atom_offsets     [molecules + 1] int64   @format, @version, @source, @split_seed
enum MoleculeDataset {
    /// The `format` attribute's value, which marks a file as a molecule set.
    static let format = "rgdm-molecules"
    static let version = 1
    /// The splits, in the order sets list them.
    static let splitNames = ["train", "valid", "test"]

    /// Names of the datasets.
    enum Dataset {
        static let positions = "positions"
        static let atomicNumbers = "atomic_numbers"
        static let charges = "charges"
        static let atomOffsets = "atom_offsets"
        static let smiles = "smiles"
        static let properties = "properties"
        static let splits = "splits"

        /// The dataset of split `name`'s molecule indices.
        static func split(_ name: String) -> String { "\(splits)/\(name)" }
    }

    /// Names of the attributes (the root's, and `properties`' `names`).
    enum Attribute {
        static let format = "format"
        static let version = "version"
        static let source = "source"
        static let splitSeed = "split_seed"
        static let propertyNames = "names"
    }

    /// Whether `file`'s root attribute `format` marks it as a molecule set.
    static func isMoleculeSet(_ file: HDF5File) -> Bool {
        (try? file.root.stringAttribute(Attribute.format)) == format
    }

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
}
