/// One record of a text molecule file as rgdm delimits it: its lines, and a
/// problem already found while delimiting it (an XYZ count that is no number).
struct TextRecord {
    var lines: [TextLine]
    var problem: RecordProblem?

    init(lines: [TextLine], problem: RecordProblem? = nil) {
        self.lines = lines
        self.problem = problem
    }

    /// The file line the record starts on.
    var firstLine: Int { lines.first?.number ?? 0 }

    /// The record's text, as Open Babel is given it.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.bytes.count + 1 })
        for line in lines {
            bytes += line.bytes
            bytes.append(10)
        }
        return bytes
    }
}

/// What is wrong with a record, found on its text before Open Babel sees it.
enum RecordProblem: Error, Equatable {
    /// A format rule broken on `line` (strict reading).
    case malformed(line: Int, reason: String)
    /// A `RecordLimits` bound exceeded on `line` (always checked).
    case limit(RecordLimit, value: Int, maximum: Int, line: Int)

    func error(file: String, record: Int) -> ChemError {
        switch self {
        case .malformed(let line, let reason):
            return .malformedRecord(file: file, record: record, line: line, reason: reason)
        case .limit(let limit, let value, let maximum, let line):
            return .limitExceeded(file: file, record: record, line: line, limit: limit, value: value, maximum: maximum)
        }
    }
}

/// A text format rgdm delimits into records itself, so that each record can
/// be checked, skipped, or given up on without Open Babel reading it.
protocol RecordFormat {
    /// The next record, or nil when only blank lines are left.
    func nextRecord(from lines: TextLines) -> TextRecord?
    /// The first limit `record` breaks, then (when `strict`) the first rule; nil if none.
    func problem(in record: TextRecord, limits: RecordLimits, strict: Bool) -> RecordProblem?
}

extension MoleculeFormat {
    /// How rgdm delimits this format's records, or nil when Open Babel streams it.
    func recordFormat(strict: Bool) -> (any RecordFormat)? {
        switch name {
        case "sdf", "sd", "mdl", "mol": return MDLRecords()
        case "xyz": return XYZRecords(strict: strict)
        case "pdb", "ent": return PDBRecords()
        case "mol2", "ml2", "sy2": return MOL2Records()
        case "smi", "smiles", "can", "ism": return SMILESRecords()
        default: return nil
        }
    }
}
