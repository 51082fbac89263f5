import Foundation

/// One line of a text molecule file: its bytes without the line break and
/// its 1-based number in the file.
struct TextLine {
    let number: Int
    let bytes: [UInt8]

    /// The line as text, a trailing carriage return dropped.
    var text: String {
        var end = bytes.count
        if end > 0 && bytes[end - 1] == 13 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// True if the line holds nothing but spaces, tabs or a carriage return.
    var isBlank: Bool { bytes.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }

    /// True if the line is empty (a carriage return aside).
    var isEmpty: Bool { bytes.isEmpty || bytes == [13] }

    func hasPrefix(_ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        return bytes.count >= p.count && bytes[..<p.count].elementsEqual(p)
    }

    /// Characters `range` (0-based columns), clipped to the line, as text.
    func columns(_ range: Range<Int>) -> String {
        let end = Swift.min(range.upperBound, length)
        guard range.lowerBound < end else { return "" }
        return String(decoding: bytes[range.lowerBound..<end], as: UTF8.self)
    }

    /// The line's length without a trailing carriage return.
    var length: Int { bytes.last == 13 ? bytes.count - 1 : bytes.count }

    /// Fields separated by spaces or tabs.
    var fields: [String] { text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
}

/// Streams the lines of a file or of bytes in memory, in chunks, so a file
/// of any size is read in constant memory; one line can be pushed back.
final class TextLines {
    private let handle: FileHandle?
    private var buffer: [UInt8]
    private var position = 0
    private var exhausted: Bool
    private var pushedBack: [TextLine] = []
    private(set) var lineNumber = 0

    private static let chunk = 1 << 16

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ChemError.io(file: path, reason: "cannot open for reading")
        }
        self.handle = handle
        buffer = []
        exhausted = false
    }

    init(data: Data) {
        handle = nil
        buffer = [UInt8](data)
        exhausted = true
    }

    deinit { try? handle?.close() }

    /// The next line, or nil at the end of the input.
    func next() -> TextLine? {
        if let line = pushedBack.popLast() { return line }
        while true {
            if let newline = buffer[position...].firstIndex(of: 10) {
                let bytes = Array(buffer[position..<newline])
                position = newline + 1
                lineNumber += 1
                return TextLine(number: lineNumber, bytes: bytes)
            }
            if exhausted {
                guard position < buffer.count else { return nil }
                let bytes = Array(buffer[position...])
                position = buffer.count
                lineNumber += 1
                return TextLine(number: lineNumber, bytes: bytes)
            }
            refill()
        }
    }

    /// Makes `line` the next one `next()` returns.
    func pushBack(_ line: TextLine) { pushedBack.append(line) }

    /// The next line without consuming it.
    func peek() -> TextLine? {
        guard let line = next() else { return nil }
        pushBack(line)
        return line
    }

    /// True if only blank lines are left.
    func onlyBlankLeft() -> Bool {
        var seen: [TextLine] = []
        defer { for line in seen.reversed() { pushBack(line) } }
        while let line = next() {
            seen.append(line)
            if !line.isBlank { return false }
        }
        return true
    }

    private func refill() {
        buffer.removeFirst(position)
        position = 0
        let data = (try? handle?.read(upToCount: Self.chunk)) ?? nil
        if let data, !data.isEmpty {
            buffer.append(contentsOf: data)
        } else {
            exhausted = true
        }
    }
}
