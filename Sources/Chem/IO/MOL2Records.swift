/// Tripos MOL2 files: a record runs from one "@<TRIPOS>MOLECULE" line to the
/// next (lines before the first belong to the first record).
///
/// Open Babel reads the counts from the MOLECULE section, then exactly that
/// many ATOM lines with `sscanf` (a bad line keeps the previous line's
/// values), takes atoms by position whatever their ids, and bonds to atoms
/// that do not exist are dropped. Strict reading wants the sections present,
/// as many ATOM and BOND lines as counted, atom ids 1, 2, 3… in order, numeric
/// coordinates, and bonds between existing atoms.
struct MOL2Records: RecordFormat {
    func nextRecord(from lines: TextLines) -> TextRecord? {
        if lines.onlyBlankLeft() { return nil }
        var record: [TextLine] = []
        var started = false
        while let line = lines.next() {
            if line.hasPrefix("@<TRIPOS>MOLECULE") {
                if started {
                    lines.pushBack(line)
                    break
                }
                started = true
            }
            record.append(line)
        }
        return TextRecord(lines: record)
    }

    func problem(in record: TextRecord, limits: RecordLimits, strict: Bool) -> RecordProblem? {
        let sections = Self.sections(record.lines)
        guard let molecule = sections["MOLECULE"] else {
            return strict ? .malformed(line: record.firstLine, reason: "no @<TRIPOS>MOLECULE section") : nil
        }
        let countsLine = molecule.lines.count > 1 ? molecule.lines[1] : nil
        if let countsLine, let atoms = RecordFields.integer(countsLine.fields.first ?? ""),
           let problem = limits.check(.atoms, atoms, line: countsLine.number) {
            return problem
        }
        guard strict else { return nil }
        guard let countsLine else {
            return .malformed(line: molecule.start, reason: "the MOLECULE section has no counts line (name, then atom and bond counts)")
        }
        let counts = countsLine.fields
        guard let atoms = counts.first.flatMap(RecordFields.integer), atoms > 0 else {
            return .malformed(line: countsLine.number, reason: "atom count \(RecordFields.quoted(counts.first ?? "")) is not a positive whole number")
        }
        for field in counts.dropFirst() where RecordFields.integer(field) == nil {
            return .malformed(line: countsLine.number, reason: "count \(RecordFields.quoted(field)) is not a whole number")
        }
        let bonds = counts.count > 1 ? RecordFields.integer(counts[1]) ?? 0 : 0
        guard let atomSection = sections["ATOM"] else {
            return .malformed(line: molecule.start, reason: "no @<TRIPOS>ATOM section")
        }
        if let problem = Self.rows(atomSection, count: atoms, noun: "atom", check: { line, row in
            Self.atomProblem(line, expectedID: row + 1)
        }) { return problem }
        guard let bondSection = sections["BOND"] else {
            return .malformed(line: molecule.start, reason: "no @<TRIPOS>BOND section (Open Babel needs one, even when there are no bonds)")
        }
        return Self.rows(bondSection, count: bonds, noun: "bond", check: { line, _ in Self.bondProblem(line, atoms: atoms) })
    }

    /// A "@<TRIPOS>NAME" section: the line of its header and the lines after it.
    struct Section {
        var start: Int
        var lines: [TextLine]
    }

    static func sections(_ lines: [TextLine]) -> [String: Section] {
        var sections: [String: Section] = [:]
        var current: String?
        for line in lines {
            if line.hasPrefix("@<TRIPOS>") {
                let name = RecordFields.trimmed(String(line.text.dropFirst(9)))
                current = sections[name] == nil ? name : nil
                if let current { sections[current] = Section(start: line.number, lines: []) }
            } else if let current, !line.hasPrefix("#") {
                sections[current]?.lines.append(line)
            }
        }
        return sections
    }

    /// The first `count` lines of `section` are data rows passing `check`; blank lines may follow, nothing else.
    private static func rows(_ section: Section, count: Int, noun: String,
                             check: (TextLine, Int) -> RecordProblem?) -> RecordProblem? {
        for (row, line) in section.lines.enumerated() {
            if row < count {
                if line.isBlank {
                    return .malformed(line: line.number, reason: "blank line where \(noun) \(row + 1) of \(count) was expected")
                }
                if let problem = check(line, row) { return problem }
            } else if !line.isBlank {
                return .malformed(line: line.number, reason: "more \(noun) lines than the \(count) the counts line announces")
            }
        }
        if section.lines.count < count {
            return .malformed(line: section.lines.last?.number ?? section.start,
                              reason: "the counts line announces \(count) \(noun)s, the section has \(section.lines.count)")
        }
        return nil
    }

    /// "id name x y z type [subst_id [subst_name [charge [status]]]]"
    private static func atomProblem(_ line: TextLine, expectedID: Int) -> RecordProblem? {
        let fields = line.fields
        guard fields.count >= 6 else {
            return .malformed(line: line.number, reason: "atom line has \(fields.count) fields; id, name, x, y, z and type take 6")
        }
        guard RecordFields.integer(fields[0]) == expectedID else {
            return .malformed(line: line.number, reason: "atom id \(RecordFields.quoted(fields[0])) where \(expectedID) was expected (Open Babel takes atoms by position)")
        }
        for (axis, field) in zip(["x", "y", "z"], fields[2...4]) where !RecordFields.isNumber(field) {
            return .malformed(line: line.number, reason: "\(axis) coordinate \(RecordFields.quoted(field)) is not a number")
        }
        if fields.count > 8 && !RecordFields.isNumber(fields[8]) {
            return .malformed(line: line.number, reason: "partial charge \(RecordFields.quoted(fields[8])) is not a number")
        }
        return nil
    }

    /// "id origin target type"
    private static func bondProblem(_ line: TextLine, atoms: Int) -> RecordProblem? {
        let fields = line.fields
        guard fields.count >= 4 else {
            return .malformed(line: line.number, reason: "bond line has \(fields.count) fields; id, origin, target and type take 4")
        }
        for (name, field) in zip(["bond id", "origin atom", "target atom"], fields[0...2]) where RecordFields.integer(field) == nil {
            return .malformed(line: line.number, reason: "\(name) \(RecordFields.quoted(field)) is not a whole number")
        }
        for field in fields[1...2] {
            let atom = RecordFields.integer(field) ?? 0
            if atom < 1 || atom > atoms { return .malformed(line: line.number, reason: "bond to atom \(atom), but the record has \(atoms) atoms") }
        }
        let types: Set<String> = ["1", "2", "3", "am", "ar", "du", "un", "nc"]
        if !types.contains(fields[3].lowercased()) {
            return .malformed(line: line.number, reason: "bond type \(RecordFields.quoted(fields[3])) is not one of 1, 2, 3, am, ar, du, un, nc")
        }
        return nil
    }
}
