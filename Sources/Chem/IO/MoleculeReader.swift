import COpenBabel
import Foundation

/// Streams the records of a molecule file one at a time, in any format Open
/// Babel reads. Each record yields a molecule or a typed error with the file
/// and the 1-based record number; a bad record is skipped and reading goes
/// on, so a 1.6-million-record SMILES file is read in constant memory.
///
/// SDF/MOL, XYZ, PDB, MOL2 and SMILES files are delimited into records by
/// rgdm, and each record's text is checked before Open Babel parses it: the
/// `RecordLimits` always, the format's rules unless `options.validation` is
/// `.lenient` (see `Options`). Other formats are streamed by Open Babel.
///
///     for result in try MoleculeReader(contentsOf: "mols.sdf") {
///         switch result {
///         case .success(let molecule): …
///         case .failure(let error): log(error)   // .malformedRecord(file:record:line:reason:)…
///         }
///     }
public final class MoleculeReader: Sequence, IteratorProtocol {
    /// The file name errors report ("-" for standard input).
    public let file: String
    public let format: MoleculeFormat
    public let options: Options
    /// Records read or skipped so far, good or bad.
    public private(set) var recordCount = 0

    private let source: any RecordSource
    private var finished = false

    /// Opens `path` ("-" reads all of standard input) in `format`, or the
    /// format its extension names.
    public convenience init(contentsOf path: String, format: MoleculeFormat? = nil, options: Options = .strict) throws {
        if path == "-" {
            guard let format else { throw ChemError.unknownFormat("reading standard input needs a format") }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            try self.init(data: data, format: format, name: "-", options: options)
            return
        }
        let format = try MoleculeFormat.resolve(format, path: path, writing: false)
        try Self.rejectBinary(path: path)
        if let records = format.recordFormat(strict: options.validation == .strict), let parser = OBRecordParser(format: format) {
            let lines = try TextLines(path: path)
            self.init(source: DelimitedRecordSource(lines: lines, format: records, parser: parser, options: options, file: path),
                      file: path, format: format, options: options)
            return
        }
        try self.init(openBabelStreaming: path, format: format, options: options)
    }

    /// Reads `path` with Open Babel delimiting the records (the formats rgdm
    /// does not delimit itself; tests compare both ways on valid files).
    convenience init(openBabelStreaming path: String, format: MoleculeFormat, options: Options) throws {
        let opened = OpenBabelLock.run { () -> (OpaquePointer?, String) in
            let pointer = rgdm_ob_reader_open_file(path, format.name)
            return (pointer, OpenBabelLock.lastError)
        }
        guard let pointer = opened.0 else { throw ChemError.io(file: path, reason: opened.1) }
        self.init(source: OpenBabelRecordStream(reader: pointer, file: path), file: path, format: format, options: options)
    }

    /// Reads records from text in memory.
    public convenience init(string: String, format: MoleculeFormat, name: String = "<string>", options: Options = .strict) throws {
        try self.init(data: Data(string.utf8), format: format, name: name, options: options)
    }

    /// Reads records from bytes in memory; `name` is what errors report.
    public convenience init(data: Data, format: MoleculeFormat, name: String, options: Options = .strict) throws {
        guard format.isReadable else { throw ChemError.unknownFormat(format.name) }
        if Self.looksBinary(data.prefix(4096)) {
            throw ChemError.badRecord(file: name, record: 1, reason: "binary data, not a \(format.name) text file")
        }
        if let records = format.recordFormat(strict: options.validation == .strict), let parser = OBRecordParser(format: format) {
            self.init(source: DelimitedRecordSource(lines: TextLines(data: data), format: records, parser: parser, options: options, file: name),
                      file: name, format: format, options: options)
            return
        }
        let opened = OpenBabelLock.run { () -> (OpaquePointer?, String) in
            let pointer = data.withUnsafeBytes { raw in
                rgdm_ob_reader_open_buffer(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, format.name)
            }
            return (pointer, OpenBabelLock.lastError)
        }
        guard let pointer = opened.0 else { throw ChemError.io(file: name, reason: opened.1) }
        self.init(source: OpenBabelRecordStream(reader: pointer, file: name), file: name, format: format, options: options)
    }

    private init(source: any RecordSource, file: String, format: MoleculeFormat, options: Options) {
        self.source = source
        self.file = file
        self.format = format
        self.options = options
    }

    /// True if `skip()` passes records without Open Babel reading them (the
    /// formats rgdm delimits itself), so a record that crashes Open Babel can
    /// be stepped over.
    public var skipsWithoutParsing: Bool { source.skipsWithoutParsing }

    /// The next record: a molecule, an error for a bad record, or nil at the end.
    /// An input with no record at all yields one `.emptyInput` error.
    public func next() -> Result<Molecule, ChemError>? {
        guard !finished else { return nil }
        switch source.read(record: recordCount + 1) {
        case .end:
            finished = true
            return recordCount == 0 ? .failure(.emptyInput(file: file)) : nil
        case .failure(let error):
            recordCount += 1
            return .failure(error)
        case .molecule(let molecule, let unknown):
            recordCount += 1
            if !skipsWithoutParsing, molecule.atoms.count > options.limits.atoms {
                return .failure(.limitExceeded(file: file, record: recordCount, line: 0, limit: .atoms,
                                               value: molecule.atoms.count, maximum: options.limits.atoms))
            }
            if let problem = Self.problem(in: molecule, unknownElementAtoms: unknown) {
                return .failure(.invalidMolecule(file: file, record: recordCount, reason: problem))
            }
            return .success(molecule)
        }
    }

    /// Moves past one record without converting it (and, where
    /// `skipsWithoutParsing`, without Open Babel reading it); false at the end.
    /// An input with no record skips once, as `next()` yields its one error.
    public func skip() -> Bool {
        guard !finished else { return false }
        if source.skip() {
            recordCount += 1
            return true
        }
        finished = true
        return recordCount == 0
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
