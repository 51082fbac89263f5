/// XYZ files: an atom count, a title line, then one "element x y z" line per
/// atom (further columns ignored); records follow one another, empty lines
/// between them skipped, as Open Babel reads them.
///
/// Open Babel takes the count with `sscanf("%u")`, so "3.5" reads as 3 and
/// the rest of the record shifts into the next, and `strtod` takes "1.2a" as
/// 1.2. Strict reading wants a whole count, numeric coordinates, and no atom
/// lines beyond the count; after a bad count it goes on at the next line that
/// is a whole number.
struct XYZRecords: RecordFormat {
    var strict: Bool

    func nextRecord(from lines: TextLines) -> TextRecord? {
        if lines.onlyBlankLeft() { return nil }
        guard let first = lines.next() else { return nil }
        guard let count = strict ? Self.wholeCount(first) : Self.leadingCount(first), count > 0, count < 100_000_000 else {
            // Open Babel fails on the count line and goes on at the next line.
            guard strict else { return TextRecord(lines: [first]) }
            var record = [first]
            skipToCountLine(lines, into: &record)
            return TextRecord(lines: record, problem: .malformed(line: first.number, reason: "atom count \(RecordFields.quoted(first.text)) is not a positive whole number"))
        }
        var record = [first]
        for _ in 0...count {
            guard let line = lines.next() else { break }
            record.append(line)
        }
        while let line = lines.peek(), line.isEmpty { _ = lines.next() }
        if strict, record.count == count + 2, let extra = lines.peek(), Self.wholeCount(extra) == nil, Self.isAtomLine(extra) {
            skipToCountLine(lines, into: &record)
            return TextRecord(lines: record, problem: .malformed(line: extra.number, reason: "more atom lines than the \(count) the count on line \(first.number) announces"))
        }
        return TextRecord(lines: record)
    }

    func problem(in record: TextRecord, limits: RecordLimits, strict: Bool) -> RecordProblem? {
        guard let first = record.lines.first else { return nil }
        if let count = Self.leadingCount(first), let problem = limits.check(.atoms, count, line: first.number) { return problem }
        if let problem = record.problem { return problem }
        guard strict, let count = Self.wholeCount(first) else { return nil }
        let atomLines = record.lines.dropFirst(2)
        if atomLines.count < count {
            return .malformed(line: record.lines[record.lines.count - 1].number,
                              reason: "the count on line \(first.number) announces \(count) atoms, the record has \(atomLines.count)")
        }
        for line in atomLines {
            let fields = line.fields
            guard fields.count >= 4 else {
                return .malformed(line: line.number, reason: "atom line has \(fields.count) fields; element, x, y and z take 4")
            }
            guard fields[0].allSatisfy(\.isLetter) || RecordFields.integer(fields[0]) != nil else {
                return .malformed(line: line.number, reason: "element \(RecordFields.quoted(fields[0])) is neither a symbol nor an atomic number")
            }
            for (axis, field) in zip(["x", "y", "z"], fields[1...3]) where !RecordFields.isNumber(field) {
                return .malformed(line: line.number, reason: "\(axis) coordinate \(RecordFields.quoted(field)) is not a number")
            }
        }
        return nil
    }

    /// Moves past lines up to the next one that is a whole number (a count line), appending them to `record`.
    private func skipToCountLine(_ lines: TextLines, into record: inout [TextLine]) {
        while let line = lines.peek(), Self.wholeCount(line) == nil {
            record.append(line)
            _ = lines.next()
        }
    }

    /// The count as strict reading wants it: digits alone, spaces around them aside.
    static func wholeCount(_ line: TextLine) -> Int? {
        let text = RecordFields.trimmed(line.text)
        return text.isEmpty || !text.allSatisfy(\.isASCII) || !text.allSatisfy(\.isNumber) ? nil : Int(text)
    }

    /// The count as Open Babel's `sscanf("%u")` reads it: leading digits, after blanks.
    static func leadingCount(_ line: TextLine) -> Int? {
        let digits = line.text.drop(while: { $0 == " " || $0 == "\t" }).prefix(while: { $0.isASCII && $0.isNumber })
        return digits.isEmpty ? nil : Int(digits.prefix(12))
    }

    /// True if `line` reads as "element x y z".
    static func isAtomLine(_ line: TextLine) -> Bool {
        let fields = line.fields
        return fields.count >= 4 && fields[1...3].allSatisfy(RecordFields.isNumber)
    }
}
