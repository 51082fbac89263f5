/// Errors raised by the Chem module. Every case names where the problem is:
/// the file ("-" for standard input, "<string>" for text in memory), and the
/// 1-based record number where one applies.
public enum ChemError: Error, Equatable, Sendable {
    /// Open Babel failed outside any file (writing, canonical SMILES…).
    case openBabel(String)
    /// The format name or file extension is not one Open Babel reads or writes.
    case unknownFormat(String)
    /// A file could not be opened, read, written or renamed.
    case io(file: String, reason: String)
    /// A file holds no molecule at all.
    case emptyInput(file: String)
    /// One record of a file could not be parsed; reading goes on after it.
    case badRecord(file: String, record: Int, reason: String)
    /// Strict reading: a record breaks its format's rules (a coordinate that is
    /// not a number, counts that do not match the blocks…) at `line`, the
    /// 1-based line number in the file. Open Babel never saw it; reading goes on.
    case malformedRecord(file: String, record: Int, line: Int, reason: String)
    /// A record over one of the `RecordLimits` (atoms, SMILES length, nesting),
    /// found on `line`: it is not handed to Open Babel. In formats Open Babel
    /// streams, the atom count is checked after parsing and `line` is 0.
    /// Reading goes on.
    case limitExceeded(file: String, record: Int, line: Int, limit: RecordLimit, value: Int, maximum: Int)
    /// A record parsed but its molecule is unusable (NaN coordinates, unknown element…).
    case invalidMolecule(file: String, record: Int, reason: String)
    /// A CSV data set row that could not be turned into a molecule.
    case badRow(file: String, line: Int, reason: String)
    /// A chemistry operation failed: no force-field parameters, builder failure…
    case chemistry(String)
    /// Minimisation used its whole step budget without converging.
    case notConverged(steps: Int, energy: Double)
}

extension ChemError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .openBabel(let reason): return "Open Babel: \(reason)"
        case .unknownFormat(let name): return "unknown molecule format '\(name)'"
        case .io(let file, let reason): return "\(file): \(reason)"
        case .emptyInput(let file): return "\(file): no molecule in the file"
        case .badRecord(let file, let record, let reason): return "\(file): record \(record): \(reason)"
        case .malformedRecord(let file, let record, let line, let reason): return "\(file): record \(record), line \(line): \(reason)"
        case .limitExceeded(let file, let record, let line, let limit, let value, let maximum):
            let place = line > 0 ? "record \(record), line \(line)" : "record \(record)"
            return "\(file): \(place): \(limit.phrase(value)), over the limit of \(maximum)"
        case .invalidMolecule(let file, let record, let reason): return "\(file): record \(record): \(reason)"
        case .badRow(let file, let line, let reason): return "\(file): line \(line): \(reason)"
        case .chemistry(let reason): return reason
        case .notConverged(let steps, let energy):
            return "minimisation did not converge in \(steps) steps (energy \(energy) kcal/mol)"
        }
    }

    /// The 1-based record (or line) the error points at, if any.
    public var record: Int? {
        switch self {
        case .badRecord(_, let record, _), .invalidMolecule(_, let record, _),
             .malformedRecord(_, let record, _, _), .limitExceeded(_, let record, _, _, _, _): return record
        case .badRow(_, let line, _): return line
        default: return nil
        }
    }

    /// The 1-based line of the file the error points at, if known.
    public var line: Int? {
        switch self {
        case .malformedRecord(_, _, let line, _), .limitExceeded(_, _, let line, _, _, _), .badRow(_, let line, _): return line
        default: return nil
        }
    }

    /// The file the error names, if any.
    public var file: String? {
        switch self {
        case .io(let file, _), .emptyInput(let file), .badRecord(let file, _, _), .invalidMolecule(let file, _, _),
             .malformedRecord(let file, _, _, _), .limitExceeded(let file, _, _, _, _, _), .badRow(let file, _, _): return file
        default: return nil
        }
    }
}
