import COpenBabel
import Foundation

/// Streams the records of a molecule file one at a time, in any format Open
/// Babel reads. Each record yields a molecule or a typed error with the file
/// and the 1-based record number; a bad record is skipped and reading goes
/// on, so a 1.6-million-record SMILES file is read in constant memory.
///
///     for result in try MoleculeReader(contentsOf: "mols.sdf") {
///         switch result {
///         case .success(let molecule): …
///         case .failure(let error): log(error)   // .badRecord(file:record:reason:)
///         }
///     }
public final class MoleculeReader: Sequence, IteratorProtocol {
    /// The file name errors report ("-" for standard input).
    public let file: String
    public let format: MoleculeFormat
    /// Records read so far, good or bad.
    public private(set) var recordCount = 0

    private var reader: OpaquePointer?
    private let scratch: OBMoleculeHandle
    private var finished = false

    /// Opens `path` ("-" reads all of standard input) in `format`, or the
    /// format its extension names.
    public convenience init(contentsOf path: String, format: MoleculeFormat? = nil) throws {
        if path == "-" {
            guard let format else { throw ChemError.unknownFormat("reading standard input needs a format") }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            try self.init(data: data, format: format, name: "-")
            return
        }
        let format = try MoleculeFormat.resolve(format, path: path, writing: false)
        try Self.rejectBinary(path: path)
        let opened = OpenBabelLock.run { () -> (OpaquePointer?, String) in
            let pointer = rgdm_ob_reader_open_file(path, format.name)
            return (pointer, OpenBabelLock.lastError)
        }
        guard let pointer = opened.0 else { throw ChemError.io(file: path, reason: opened.1) }
        self.init(reader: pointer, file: path, format: format)
    }

    /// Reads records from text in memory.
    public convenience init(string: String, format: MoleculeFormat, name: String = "<string>") throws {
        try self.init(data: Data(string.utf8), format: format, name: name)
    }

    /// Reads records from bytes in memory; `name` is what errors report.
    public convenience init(data: Data, format: MoleculeFormat, name: String) throws {
        guard format.isReadable else { throw ChemError.unknownFormat(format.name) }
        if Self.looksBinary(data.prefix(4096)) {
            throw ChemError.badRecord(file: name, record: 1, reason: "binary data, not a \(format.name) text file")
        }
        let opened = OpenBabelLock.run { () -> (OpaquePointer?, String) in
            let pointer = data.withUnsafeBytes { raw in
                rgdm_ob_reader_open_buffer(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, format.name)
            }
            return (pointer, OpenBabelLock.lastError)
        }
        guard let pointer = opened.0 else { throw ChemError.io(file: name, reason: opened.1) }
        self.init(reader: pointer, file: name, format: format)
    }

    private init(reader: OpaquePointer, file: String, format: MoleculeFormat) {
        self.reader = reader
        self.file = file
        self.format = format
        self.scratch = OpenBabelLock.run { OBMoleculeHandle() }
    }

    deinit {
        if let reader { OpenBabelLock.run { rgdm_ob_reader_close(reader) } }
    }

    /// The next record: a molecule, an error for a bad record, or nil at the end.
    /// An input with no record at all yields one `.emptyInput` error.
    public func next() -> Result<Molecule, ChemError>? {
        guard !finished, let reader else { return nil }
        let (status, message, converted) = OpenBabelLock.run { () -> (Int32, String, (Molecule, [Int])?) in
            let status = rgdm_ob_reader_next(reader, scratch.pointer)
            if status == 0 { return (status, "", scratch.molecule()) }
            return (status, OpenBabelLock.lastError, nil)
        }
        if status == 1 {  // RGDM_OB_END
            finished = true
            return recordCount == 0 ? .failure(.emptyInput(file: file)) : nil
        }
        recordCount += 1
        guard let (molecule, unknown) = converted else {
            return .failure(.badRecord(file: file, record: recordCount, reason: message))
        }
        if let problem = Self.problem(in: molecule, unknownElementAtoms: unknown) {
            return .failure(.invalidMolecule(file: file, record: recordCount, reason: problem))
        }
        return .success(molecule)
    }

    /// Every molecule, throwing the first error met.
    public func readAll() throws -> [Molecule] {
        var molecules: [Molecule] = []
        for result in self { molecules.append(try result.get()) }
        return molecules
    }

    /// Why a parsed molecule is unusable, or nil if it is fine.
    static func problem(in molecule: Molecule, unknownElementAtoms: [Int]) -> String? {
        if molecule.atoms.isEmpty { return "no atoms" }
        if let i = unknownElementAtoms.first { return "unknown element at atom \(i + 1)" }
        if let i = molecule.atoms.firstIndex(where: { !($0.position.x.isFinite && $0.position.y.isFinite && $0.position.z.isFinite) }) {
            return "non-finite coordinates at atom \(i + 1)"
        }
        return nil
    }

    static func looksBinary(_ bytes: Data) -> Bool {
        bytes.contains(0) || bytes.filter { $0 < 9 || ($0 > 13 && $0 < 32) }.count > Swift.max(8, bytes.count / 100)
    }

    private static func rejectBinary(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ChemError.io(file: path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        if looksBinary(head) {
            throw ChemError.badRecord(file: path, record: 1, reason: "binary data, not a text molecule file")
        }
    }
}
