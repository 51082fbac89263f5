/// SDF and MOL files (MDL molfiles, V2000 and V3000): a record runs to its
/// "$$$$" line (or the end of the file), as Open Babel reads it.
///
/// Strict reading checks what Open Babel reads silently wrong: fixed columns
/// that are not numbers (its `atof` takes "l.234" as 0 and "1.2a4" as 1.2),
/// counts that do not match the atom and bond blocks, bonds to atoms that do
/// not exist, property lines with bad atom numbers, and a missing "M  END".
struct MDLRecords: RecordFormat {
    func nextRecord(from lines: TextLines) -> TextRecord? {
        if lines.onlyBlankLeft() { return nil }
        var record: [TextLine] = []
        while let line = lines.next() {
            record.append(line)
            if line.hasPrefix("$$$$") { break }
        }
        return TextRecord(lines: record)
    }

    func problem(in record: TextRecord, limits: RecordLimits, strict: Bool) -> RecordProblem? {
        let lines = record.lines
        guard lines.count > 3 else {
            return strict ? .malformed(line: lines.last?.number ?? record.firstLine,
                                       reason: "the record ends before its counts line (the 4th line of a molfile)") : nil
        }
        let counts = lines[3]
        if counts.text.contains("V3000") {
            return V3000Block(lines: Array(lines[4...]), countsLine: counts.number).problem(limits: limits, strict: strict)
        }
        if let atoms = RecordFields.integer(counts.columns(0..<3)), let problem = limits.check(.atoms, atoms, line: counts.number) {
            return problem
        }
        return strict ? v2000Problem(lines) : nil
    }

    /// The first V2000 rule `lines` (a whole record) breaks.
    private func v2000Problem(_ lines: [TextLine]) -> RecordProblem? {
        let counts = lines[3]
        guard counts.length >= 6 else {
            return .malformed(line: counts.number, reason: "counts line too short: atom and bond counts take columns 1–6")
        }
        guard let atoms = RecordFields.integer(counts.columns(0..<3)), atoms >= 0 else {
            return .malformed(line: counts.number, reason: "atom count \(RecordFields.quoted(counts.columns(0..<3))) in columns 1–3 is not a whole number")
        }
        guard let bonds = RecordFields.integer(counts.columns(3..<6)), bonds >= 0 else {
            return .malformed(line: counts.number, reason: "bond count \(RecordFields.quoted(counts.columns(3..<6))) in columns 4–6 is not a whole number")
        }
        var next = 4
        for found in 0..<atoms {
            guard next < lines.count, !isBlockEnd(lines[next]) else {
                return .malformed(line: lines[min(next, lines.count - 1)].number,
                                  reason: "the counts line (line \(counts.number)) announces \(atoms) atoms, the atom block has \(found)")
            }
            if let problem = atomLineProblem(lines[next]) { return problem }
            next += 1
        }
        for found in 0..<bonds {
            guard next < lines.count, !isBlockEnd(lines[next]) else {
                return .malformed(line: lines[min(next, lines.count - 1)].number,
                                  reason: "the counts line (line \(counts.number)) announces \(bonds) bonds, the bond block has \(found)")
            }
            if lines[next].length >= 34 && RecordFields.isNumber(lines[next].columns(0..<10)) {
                return .malformed(line: lines[next].number, reason: "an atom line where a bond line was expected: the counts line announces \(atoms) atoms, the block has more")
            }
            if let problem = bondLineProblem(lines[next], atoms: atoms) { return problem }
            next += 1
        }
        return propertiesProblem(lines[min(next, lines.count)...], atoms: atoms, bonds: bonds, lastLine: lines[lines.count - 1].number)
    }

    private func isBlockEnd(_ line: TextLine) -> Bool { line.hasPrefix("M  END") || line.hasPrefix("$$$$") }

    /// xxxxx.xxxxyyyyy.yyyyzzzzz.zzzz aaaddcccssshhhbbbvvvHHHrrriiimmmnnneee
    private func atomLineProblem(_ line: TextLine) -> RecordProblem? {
        guard line.length >= 34 else {
            if bondLineProblem(line, atoms: Int.max) == nil {
                return .malformed(line: line.number, reason: "a bond line where an atom line was expected: the counts line announces more atoms than the block has")
            }
            return .malformed(line: line.number, reason: "atom line too short (\(line.length) characters; coordinates and symbol take 34)")
        }
        for (axis, columns) in [("x", 0..<10), ("y", 10..<20), ("z", 20..<30)] where !RecordFields.isNumber(line.columns(columns)) {
            return .malformed(line: line.number, reason: "\(axis) coordinate \(RecordFields.quoted(line.columns(columns))) in columns \(columns.lowerBound + 1)–\(columns.upperBound) is not a number")
        }
        let symbol = RecordFields.trimmed(line.columns(31..<34))
        guard let first = symbol.first, first.isLetter || first == "*",
              symbol.dropFirst().allSatisfy({ $0.isLetter || $0 == "#" }) else {
            return .malformed(line: line.number, reason: "atom symbol \(RecordFields.quoted(line.columns(31..<34))) in columns 32–34 is not an element")
        }
        let optional = [34..<36] + stride(from: 36, to: 69, by: 3).map { $0..<($0 + 3) }
        for columns in optional where columns.lowerBound < line.length && !RecordFields.isBlankOrInteger(line.columns(columns)) {
            return .malformed(line: line.number, reason: "atom field \(RecordFields.quoted(line.columns(columns))) in columns \(columns.lowerBound + 1)–\(columns.upperBound) is not a whole number")
        }
        return nil
    }

    /// 111222tttsssxxxrrrccc
    private func bondLineProblem(_ line: TextLine, atoms: Int) -> RecordProblem? {
        guard line.length >= 9 else {
            return .malformed(line: line.number, reason: "bond line too short (\(line.length) characters; atoms and type take 9)")
        }
        var fields: [Int] = []
        for (name, columns) in [("first atom", 0..<3), ("second atom", 3..<6), ("bond type", 6..<9)] {
            guard let value = RecordFields.integer(line.columns(columns)) else {
                return .malformed(line: line.number, reason: "\(name) \(RecordFields.quoted(line.columns(columns))) in columns \(columns.lowerBound + 1)–\(columns.upperBound) is not a whole number")
            }
            fields.append(value)
        }
        for atom in fields[0...1] where atom < 1 || atom > atoms {
            return .malformed(line: line.number, reason: "bond to atom \(atom), but the record has \(atoms) atoms")
        }
        if fields[0] == fields[1] { return .malformed(line: line.number, reason: "bond from atom \(fields[0]) to itself") }
        if !(1...8).contains(fields[2]) { return .malformed(line: line.number, reason: "bond type \(fields[2]) is not 1–8") }
        for start in stride(from: 9, to: 21, by: 3) where start < line.length && !RecordFields.isBlankOrInteger(line.columns(start..<(start + 3))) {
            return .malformed(line: line.number, reason: "bond field \(RecordFields.quoted(line.columns(start..<(start + 3)))) in columns \(start + 1)–\(start + 3) is not a whole number")
        }
        return nil
    }

    /// The properties block up to "M  END": only property lines, their atom numbers in range.
    private func propertiesProblem(_ lines: ArraySlice<TextLine>, atoms: Int, bonds: Int, lastLine: Int) -> RecordProblem? {
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            if line.hasPrefix("M  END") { return nil }
            if line.hasPrefix("$$$$") { break }
            if line.hasPrefix("A  ") || line.hasPrefix("G  ") {
                index += 2
                continue
            }
            if line.hasPrefix("S  SKP") {
                index += 1 + max(0, RecordFields.integer(line.columns(6..<9)) ?? 0)
                continue
            }
            if line.hasPrefix("M  ") || line.hasPrefix("V  ") {
                if let problem = atomListProblem(line, atoms: atoms) { return problem }
                index += 1
                continue
            }
            let reason: String
            if bondLineProblem(line, atoms: atoms) == nil {
                reason = "a bond line after the \(bonds) bonds the counts line announces"
            } else if line.length >= 34 && RecordFields.isNumber(line.columns(0..<10)) {
                reason = "an atom line after the \(atoms) atoms the counts line announces"
            } else {
                reason = "\(RecordFields.quoted(line.text)) is not a property line ('M  …') and no 'M  END' came before it"
            }
            return .malformed(line: line.number, reason: reason)
        }
        return .malformed(line: lastLine, reason: "no 'M  END' line ends the molfile")
    }

    /// "M  CHG  2   1  -1   3   1" and its kin: an entry count, then atom/value pairs of 4-column fields.
    private func atomListProblem(_ line: TextLine, atoms: Int) -> RecordProblem? {
        let kind = line.columns(3..<6)
        guard ["CHG", "RAD", "ISO"].contains(kind) else { return nil }
        guard let count = RecordFields.integer(line.columns(6..<9)), (1...8).contains(count), line.length >= 9 + 8 * count else {
            return .malformed(line: line.number, reason: "'M  \(kind)' entry count \(RecordFields.quoted(line.columns(6..<9))) does not match the entries on the line")
        }
        for entry in 0..<count {
            let start = 9 + 8 * entry
            guard let atom = RecordFields.integer(line.columns(start..<(start + 4))),
                  RecordFields.integer(line.columns((start + 4)..<(start + 8))) != nil else {
                return .malformed(line: line.number, reason: "'M  \(kind)' entry \(entry + 1) is not two whole numbers")
            }
            if atom < 1 || atom > atoms {
                return .malformed(line: line.number, reason: "'M  \(kind)' names atom \(atom), but the record has \(atoms) atoms")
            }
        }
        return nil
    }
}
