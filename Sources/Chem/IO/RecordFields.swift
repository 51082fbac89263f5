/// Checks on the fields of a text record, as strict reading applies them:
/// a number is the whole field (Open Babel's `atof` reads "1.2a4" as 1.2 and
/// "l.234" as 0), an integer has no fraction ("3.5" is not a count).
enum RecordFields {
    /// True if `text`, spaces around it aside, is a finite decimal number
    /// ("-1.5", "+2", ".5", "3.", "1e-3"); "nan", "inf" and "" are not.
    static func isNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, first == 32 || first == 9 { bytes.removeFirst() }
        while let last = bytes.last, last == 32 || last == 9 || last == 13 { bytes.removeLast() }
        if let sign = bytes.first, sign == 43 || sign == 45 { bytes.removeFirst() }
        var digits = 0
        while let c = bytes.first, isDigit(c) { digits += 1; bytes.removeFirst() }
        if bytes.first == 46 {
            bytes.removeFirst()
            while let c = bytes.first, isDigit(c) { digits += 1; bytes.removeFirst() }
        }
        guard digits > 0 else { return false }
        if let e = bytes.first, e == 101 || e == 69 {
            bytes.removeFirst()
            if let sign = bytes.first, sign == 43 || sign == 45 { bytes.removeFirst() }
            var exponent = 0
            while let c = bytes.first, isDigit(c) { exponent += 1; bytes.removeFirst() }
            guard exponent > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// The integer `text` holds, spaces around it aside ("  7", "-1"), or nil.
    static func integer(_ text: String) -> Int? {
        let trimmed = self.trimmed(text)
        guard !trimmed.isEmpty, trimmed.count <= 18 else { return nil }
        let body = trimmed.first == "-" || trimmed.first == "+" ? trimmed.dropFirst() : Substring(trimmed)
        guard !body.isEmpty, body.utf8.allSatisfy(isDigit) else { return nil }
        return Int(trimmed.first == "+" ? String(body) : trimmed)
    }

    /// True if `text` is blank or an integer (an optional fixed-width field).
    static func isBlankOrInteger(_ text: String) -> Bool {
        text.allSatisfy { $0 == " " || $0 == "\r" } || integer(text) != nil
    }

    /// `text` quoted for a message, cut to 40 characters.
    static func quoted(_ text: String) -> String {
        let trimmed = self.trimmed(text)
        return "'" + (trimmed.count > 40 ? String(trimmed.prefix(40)) + "…" : trimmed) + "'"
    }

    /// `text` without spaces, tabs and carriage returns around it.
    static func trimmed(_ text: String) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = text.firstIndex(where: { !blank($0) }), let end = text.lastIndex(where: { !blank($0) }) else { return "" }
        return String(text[start...end])
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
}
