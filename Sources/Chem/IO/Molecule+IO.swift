import COpenBabel
import Foundation

extension Molecule {
    /// The first molecule of `text` in `format`.
    public init(string text: String, format: MoleculeFormat) throws {
        let reader = try MoleculeReader(string: text, format: format)
        guard let first = reader.next() else { throw ChemError.emptyInput(file: "<string>") }
        self = try first.get()
    }

    /// The first molecule of the file at `path` (format from its extension unless given).
    public init(contentsOf path: String, format: MoleculeFormat? = nil) throws {
        let reader = try MoleculeReader(contentsOf: path, format: format)
        guard let first = reader.next() else { throw ChemError.emptyInput(file: path) }
        self = try first.get()
    }

    /// Every molecule in the file at `path`, throwing the first error.
    public static func readAll(contentsOf path: String, format: MoleculeFormat? = nil) throws -> [Molecule] {
        try MoleculeReader(contentsOf: path, format: format).readAll()
    }

    /// The molecule as text in `format`; `options` are Open Babel output
    /// options separated by spaces ("h" explicit hydrogens, "n" no title…).
    public func string(format: MoleculeFormat, options: String = "") throws -> String {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            return try OBMoleculeHandle.string(rgdm_ob_write_string(handle.pointer, format.name, options.isEmpty ? nil : options))
        }
    }

    /// Writes the molecule to `path` atomically (format from the extension unless given).
    public func write(to path: String, format: MoleculeFormat? = nil) throws {
        try Molecule.write([self], to: path, format: format)
    }

    /// Writes `molecules` as one multi-record file, atomically.
    public static func write(_ molecules: [Molecule], to path: String, format: MoleculeFormat? = nil) throws {
        let writer = try MoleculeWriter(path: path, format: format)
        for molecule in molecules { try writer.write(molecule) }
        try writer.close()
    }
}
