/// SMILES files: one record per line, "SMILES [title]". Open Babel's SMILES
/// parser is strict already; what rgdm adds is the limits, measured on the
/// string before Open Babel sees it (a 200,000-atom chain overflows its
/// stack; branches nested hundreds deep take 3D generation minutes).
struct SMILESRecords: RecordFormat {
    func nextRecord(from lines: TextLines) -> TextRecord? {
        if lines.onlyBlankLeft() { return nil }
        return lines.next().map { TextRecord(lines: [$0]) }
    }

    func problem(in record: TextRecord, limits: RecordLimits, strict: Bool) -> RecordProblem? {
        guard let line = record.lines.first else { return nil }
        let smiles = line.bytes.prefix { $0 != 32 && $0 != 9 && $0 != 13 }
        let shape = SMILESShape(smiles)
        return limits.check(.atoms, shape.atoms, line: line.number)
            ?? limits.check(.branchDepth, shape.branchDepth, line: line.number)
            ?? limits.check(.openRings, shape.openRings, line: line.number)
            ?? limits.check(.smilesLength, smiles.count, line: line.number)
    }
}

/// Sizes of a SMILES string read in one pass without parsing it: atoms
/// (bracket atoms, the organic subset, aromatic lower case, '*'), the
/// deepest branch nesting, and the most ring bonds open at once.
struct SMILESShape: Equatable {
    var atoms = 0
    var branchDepth = 0
    var openRings = 0

    init<Bytes: Collection<UInt8>>(_ smiles: Bytes) {
        let bytes = Array(smiles)
        var open = Set<Int>()
        var depth = 0
        var i = 0
        func toggle(_ label: Int) {
            if open.remove(label) == nil { open.insert(label) }
            openRings = Swift.max(openRings, open.count)
        }
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "["):
                atoms += 1
                while i < bytes.count && bytes[i] != UInt8(ascii: "]") { i += 1 }
            case UInt8(ascii: "B"), UInt8(ascii: "C"):
                atoms += 1
                if i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "r") || bytes[i + 1] == UInt8(ascii: "l")) { i += 1 }
            case UInt8(ascii: "N"), UInt8(ascii: "O"), UInt8(ascii: "P"), UInt8(ascii: "S"), UInt8(ascii: "F"), UInt8(ascii: "I"),
                 UInt8(ascii: "b"), UInt8(ascii: "c"), UInt8(ascii: "n"), UInt8(ascii: "o"), UInt8(ascii: "p"), UInt8(ascii: "s"),
                 UInt8(ascii: "*"):
                atoms += 1
            case UInt8(ascii: "("):
                depth += 1
                branchDepth = Swift.max(branchDepth, depth)
            case UInt8(ascii: ")"):
                depth -= 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                toggle(Int(c - UInt8(ascii: "0")))
            case UInt8(ascii: "%"):
                var label = 0
                var j = i + 1
                while j < bytes.count && j <= i + 2 && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j]) {
                    label = label * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                    j += 1
                }
                toggle(label)
                i = j - 1
            default:
                break
            }
            i += 1
        }
    }
}
