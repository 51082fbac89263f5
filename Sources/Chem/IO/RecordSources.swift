import COpenBabel
import Foundation

/// One step of reading a file: a parsed molecule (with its atoms of unknown
/// element), a record that failed, or the end.
enum RecordRead {
    case molecule(Molecule, unknownElementAtoms: [Int])
    case failure(ChemError)
    case end
}

/// Where `MoleculeReader` gets its records.
protocol RecordSource: AnyObject {
    /// True if `skip()` passes a record without Open Babel parsing it.
    var skipsWithoutParsing: Bool { get }
    /// Reads record number `record` (1-based, for errors).
    func read(record: Int) -> RecordRead
    /// Moves past one record; false at the end.
    func skip() -> Bool
}

/// Records rgdm delimits itself (SDF/MOL, XYZ, PDB, MOL2, SMILES): each is
/// checked against the limits (and, when strict, its format's rules) and only
/// then handed to Open Babel on its own.
final class DelimitedRecordSource: RecordSource {
    private let lines: TextLines
    private let format: any RecordFormat
    private let parser: OBRecordParser
    private let options: MoleculeReader.Options
    private let file: String

    init(lines: TextLines, format: any RecordFormat, parser: OBRecordParser, options: MoleculeReader.Options, file: String) {
        self.lines = lines
        self.format = format
        self.parser = parser
        self.options = options
        self.file = file
    }

    var skipsWithoutParsing: Bool { true }

    func read(record: Int) -> RecordRead {
        guard let text = format.nextRecord(from: lines) else { return .end }
        if let problem = format.problem(in: text, limits: options.limits, strict: options.validation == .strict) {
            return .failure(problem.error(file: file, record: record))
        }
        switch parser.parse(text.bytes) {
        case .success(let (molecule, unknown)): return .molecule(molecule, unknownElementAtoms: unknown)
        case .failure(let failure): return .failure(.badRecord(file: file, record: record, reason: failure.reason))
        }
    }

    func skip() -> Bool { format.nextRecord(from: lines) != nil }
}

/// Any other format Open Babel reads, streamed by Open Babel itself (which
/// resynchronises after a bad record as well as the format allows).
final class OpenBabelRecordStream: RecordSource {
    private let reader: OpaquePointer
    private let scratch: OBMoleculeHandle
    private let file: String

    init(reader: OpaquePointer, file: String) {
        self.reader = reader
        self.file = file
        scratch = OpenBabelLock.run { OBMoleculeHandle() }
    }

    deinit {
        let reader = self.reader
        OpenBabelLock.run { rgdm_ob_reader_close(reader) }
    }

    var skipsWithoutParsing: Bool { false }

    func read(record: Int) -> RecordRead {
        let (status, message, converted) = OpenBabelLock.run { () -> (Int32, String, (Molecule, [Int])?) in
            let status = rgdm_ob_reader_next(reader, scratch.pointer)
            if status == 0 { return (status, "", scratch.molecule()) }
            return (status, OpenBabelLock.lastError, nil)
        }
        if status == 1 { return .end }  // RGDM_OB_END
        guard let (molecule, unknown) = converted else { return .failure(.badRecord(file: file, record: record, reason: message)) }
        return .molecule(molecule, unknownElementAtoms: unknown)
    }

    func skip() -> Bool {
        if case .end = read(record: 0) { return false }
        return true
    }
}
