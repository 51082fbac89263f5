/// PDB files: a record runs to an ENDMDL line, or to an END line and on to
/// the next ENDMDL (as Open Babel reads them); what follows the last model
/// without any atom (an END, CONECT lines) is a trailer, not a record.
///
/// Open Babel reads the coordinate columns of ATOM/HETATM lines with `atof`,
/// so "   1.2x4" or "     abc" become 1.2 and 0. Strict reading wants
/// numbers in columns 31–38, 39–46 and 47–54, and no blank line inside a
/// record (Open Babel rejects it, without saying where).
struct PDBRecords: RecordFormat {
    func nextRecord(from lines: TextLines) -> TextRecord? {
        if lines.onlyBlankLeft() { return nil }
        var record: [TextLine] = []
        while let line = lines.next() {
            record.append(line)
            if line.hasPrefix("ENDMDL") { break }
            if line.hasPrefix("END") {
                while let rest = lines.next() {
                    record.append(rest)
                    if rest.hasPrefix("ENDMDL") { break }
                }
                break
            }
        }
        if !record.contains(where: Self.isAtomLine), lines.onlyBlankLeft() { return nil }
        return TextRecord(lines: record)
    }

    func problem(in record: TextRecord, limits: RecordLimits, strict: Bool) -> RecordProblem? {
        let atoms = record.lines.filter(Self.isAtomLine)
        if let problem = limits.check(.atoms, atoms.count, line: atoms.last?.number ?? record.firstLine) { return problem }
        guard strict else { return nil }
        var ended = false
        for line in record.lines {
            if line.hasPrefix("END") { ended = true }
            if line.isBlank && !ended {
                return .malformed(line: line.number, reason: "blank line inside a PDB record (every line starts with a record name)")
            }
            guard Self.isAtomLine(line) else { continue }
            guard line.length >= 54 else {
                return .malformed(line: line.number, reason: "\(RecordFields.trimmed(line.columns(0..<6))) line too short (\(line.length) characters; coordinates take columns 31–54)")
            }
            for (axis, columns) in [("x", 30..<38), ("y", 38..<46), ("z", 46..<54)] where !RecordFields.isNumber(line.columns(columns)) {
                return .malformed(line: line.number, reason: "\(axis) coordinate \(RecordFields.quoted(line.columns(columns))) in columns \(columns.lowerBound + 1)–\(columns.upperBound) is not a number")
            }
        }
        return nil
    }

    static func isAtomLine(_ line: TextLine) -> Bool { line.hasPrefix("ATOM") || line.hasPrefix("HETATM") }
}
