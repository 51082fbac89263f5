/// The connection table of a V3000 molfile: "M  V30" lines (a line ending in
/// "-" continues on the next) from BEGIN CTAB to END CTAB, then "M  END".
///
///     M  V30 BEGIN CTAB
///     M  V30 COUNTS 2 1 0 0 0
///     M  V30 BEGIN ATOM
///     M  V30 1 C 0.0 0.0 0.0 0
///     …
///     M  V30 END ATOM
///     M  V30 BEGIN BOND
///     M  V30 1 1 1 2
///     M  V30 END BOND
///     M  V30 END CTAB
///     M  END
struct V3000Block {
    /// The lines after the counts line.
    var lines: [TextLine]
    var countsLine: Int

    /// One logical "M  V30" line: its fields and the file line it starts on.
    private struct Entry {
        var line: Int
        var fields: [String]
        var text: String { fields.joined(separator: " ") }
    }

    func problem(limits: RecordLimits, strict: Bool) -> RecordProblem? {
        let entries: [Entry]
        switch logicalLines() {
        case .success(let found): entries = found
        case .failure(let problem): return strict ? problem : nil
        }
        let counts = entries.first { $0.fields.first == "COUNTS" }
        if let counts, counts.fields.count > 1, let atoms = RecordFields.integer(counts.fields[1]),
           let problem = limits.check(.atoms, atoms, line: counts.line) {
            return problem
        }
        return strict ? ctabProblem(entries, counts: counts) : nil
    }

    /// The "M  V30" lines joined across continuations, up to "M  END".
    private func logicalLines() -> Result<[Entry], RecordProblem> {
        var entries: [Entry] = []
        var pending: Entry?
        for line in lines {
            if line.hasPrefix("M  END") && pending == nil { return .success(entries) }
            if line.hasPrefix("$$$$") { break }
            guard line.hasPrefix("M  V30 ") else {
                return .failure(.malformed(line: line.number, reason: "expected an 'M  V30' line of the V3000 connection table, found \(RecordFields.quoted(line.text))"))
            }
            var text = String(line.text.dropFirst(7))
            let continues = text.hasSuffix("-")
            if continues { text.removeLast() }
            var entry = pending ?? Entry(line: line.number, fields: [])
            entry.fields += text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if continues {
                pending = entry
            } else {
                pending = nil
                entries.append(entry)
            }
        }
        return .failure(.malformed(line: lines.last?.number ?? countsLine, reason: "no 'M  END' line ends the V3000 molfile"))
    }

    private func ctabProblem(_ entries: [Entry], counts: Entry?) -> RecordProblem? {
        guard entries.first?.text == "BEGIN CTAB" else {
            return .malformed(line: entries.first?.line ?? countsLine, reason: "the V3000 block does not open with 'M  V30 BEGIN CTAB'")
        }
        guard let counts, counts.fields.count >= 3,
              let atoms = RecordFields.integer(counts.fields[1]), let bonds = RecordFields.integer(counts.fields[2]),
              atoms >= 0, bonds >= 0 else {
            return .malformed(line: counts?.line ?? entries[0].line, reason: "no 'M  V30 COUNTS' line with whole atom and bond counts")
        }
        var atomIDs = Set<Int>()
        var bondCount = 0
        var block: String?
        var blockStart = 0
        var sawAtoms = false, sawBonds = false, ended = false
        for entry in entries.dropFirst() where entry.line != counts.line {
            if ended { return .malformed(line: entry.line, reason: "'M  V30' line after END CTAB") }
            let fields = entry.fields
            if fields.first == "BEGIN", fields.count > 1 {
                if let block { return .malformed(line: entry.line, reason: "BEGIN \(fields[1]) inside the \(block) block") }
                block = fields[1]
                blockStart = entry.line
                continue
            }
            if fields.first == "END", fields.count > 1 {
                if fields[1] == "CTAB" && block == nil { ended = true; continue }
                guard fields[1] == block else { return .malformed(line: entry.line, reason: "END \(fields[1]) closes no open block") }
                if block == "ATOM" && atomIDs.count != atoms {
                    return .malformed(line: entry.line, reason: "COUNTS (line \(counts.line)) announces \(atoms) atoms, the atom block (line \(blockStart)) has \(atomIDs.count)")
                }
                if block == "BOND" && bondCount != bonds {
                    return .malformed(line: entry.line, reason: "COUNTS (line \(counts.line)) announces \(bonds) bonds, the bond block (line \(blockStart)) has \(bondCount)")
                }
                sawAtoms = sawAtoms || block == "ATOM"
                sawBonds = sawBonds || block == "BOND"
                block = nil
                continue
            }
            switch block {
            case "ATOM":
                if let problem = atomProblem(entry) { return problem }
                if !atomIDs.insert(RecordFields.integer(fields[0]) ?? 0).inserted {
                    return .malformed(line: entry.line, reason: "atom index \(fields[0]) appears twice")
                }
            case "BOND":
                if let problem = bondProblem(entry, atomIDs: atomIDs) { return problem }
                bondCount += 1
            case nil:
                return .malformed(line: entry.line, reason: "\(RecordFields.quoted(entry.text)) outside any block of the connection table")
            default:
                continue  // SGROUP, COLLECTION, OBJ3D…: not read by rgdm
            }
        }
        if let block { return .malformed(line: blockStart, reason: "the \(block) block is never closed") }
        if !ended { return .malformed(line: entries.last?.line ?? countsLine, reason: "no 'M  V30 END CTAB' line") }
        if atoms > 0 && !sawAtoms { return .malformed(line: counts.line, reason: "COUNTS announces \(atoms) atoms but there is no atom block") }
        if bonds > 0 && !sawBonds { return .malformed(line: counts.line, reason: "COUNTS announces \(bonds) bonds but there is no bond block") }
        return nil
    }

    /// "index type x y z aamap [key=value…]"
    private func atomProblem(_ entry: Entry) -> RecordProblem? {
        var fields = entry.fields
        if fields.count > 2 && fields[1] == "NOT" { fields.remove(at: 1) }  // "NOT [C,N]": a query atom list
        guard fields.count >= 6 else {
            return .malformed(line: entry.line, reason: "atom line has \(fields.count) fields; index, type, x, y, z and map take 6")
        }
        guard let index = RecordFields.integer(fields[0]), index > 0 else {
            return .malformed(line: entry.line, reason: "atom index \(RecordFields.quoted(fields[0])) is not a positive whole number")
        }
        for (axis, field) in zip(["x", "y", "z"], fields[2...4]) where !RecordFields.isNumber(field) {
            return .malformed(line: entry.line, reason: "\(axis) coordinate \(RecordFields.quoted(field)) of atom \(index) is not a number")
        }
        if RecordFields.integer(fields[5]) == nil {
            return .malformed(line: entry.line, reason: "atom-atom map \(RecordFields.quoted(fields[5])) of atom \(index) is not a whole number")
        }
        return nil
    }

    /// "index type atom1 atom2 [key=value…]"
    private func bondProblem(_ entry: Entry, atomIDs: Set<Int>) -> RecordProblem? {
        let fields = entry.fields
        guard fields.count >= 4 else {
            return .malformed(line: entry.line, reason: "bond line has \(fields.count) fields; index, type and two atoms take 4")
        }
        for (name, field) in zip(["bond index", "bond type", "first atom", "second atom"], fields[0...3]) where RecordFields.integer(field) == nil {
            return .malformed(line: entry.line, reason: "\(name) \(RecordFields.quoted(field)) is not a whole number")
        }
        for field in fields[2...3] {
            let atom = RecordFields.integer(field) ?? 0
            if !atomIDs.contains(atom) { return .malformed(line: entry.line, reason: "bond to atom \(atom), which the atom block does not define") }
        }
        return nil
    }
}
