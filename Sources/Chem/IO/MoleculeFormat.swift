import COpenBabel

/// A molecule file format, by Open Babel's name or file extension ("sdf",
/// "smi", "mol2", "xyz", "pdb", "can", "inchi"…). Any format Open Babel knows
/// works; the static members name the common ones.
public struct MoleculeFormat: Hashable, Sendable, CustomStringConvertible {
    /// Open Babel's format identifier, lower-case.
    public let name: String

    public init(_ name: String) { self.name = name.lowercased() }

    public static let smiles = MoleculeFormat("smi")
    public static let canonicalSMILES = MoleculeFormat("can")
    public static let sdf = MoleculeFormat("sdf")
    public static let mol = MoleculeFormat("mol")
    public static let mol2 = MoleculeFormat("mol2")
    public static let xyz = MoleculeFormat("xyz")
    public static let pdb = MoleculeFormat("pdb")

    public var description: String { name }

    /// The format named by `path`'s extension ("a.sdf" → sdf), or nil.
    public init?(path: String) {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return nil }
        self.init(String(base[base.index(after: dot)...]))
    }

    /// True if Open Babel can read this format.
    public var isReadable: Bool { OpenBabelLock.run { rgdm_ob_has_format(name, 0) != 0 } }
    /// True if Open Babel can write this format.
    public var isWritable: Bool { OpenBabelLock.run { rgdm_ob_has_format(name, 1) != 0 } }

    /// Formats with one record per line, where a record number is a line number.
    var isLineBased: Bool { ["smi", "smiles", "can", "ism", "inchi"].contains(name) }

    /// The format to use for `path` and an optional explicit name, checked.
    static func resolve(_ explicit: MoleculeFormat?, path: String, writing: Bool) throws -> MoleculeFormat {
        guard let format = explicit ?? MoleculeFormat(path: path) else {
            throw ChemError.unknownFormat("no format given and '\(path)' has no extension")
        }
        guard writing ? format.isWritable : format.isReadable else {
            throw ChemError.unknownFormat(format.name)
        }
        return format
    }
}
