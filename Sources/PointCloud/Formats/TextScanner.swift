import Foundation

/// Line-by-line, token-by-token reading of a text file held in memory, with numbers parsed by
/// `strtod`/`strtol` straight from the bytes. Tracks line numbers for error messages.
struct TextScanner {
    private let bytes: [UInt8]       // file contents plus a terminating 0
    private(set) var position: Int
    /// 1-based number of the line last returned by `nextLine()`.
    private(set) var lineNumber = 0

    init(bytes: [UInt8], from start: Int = 0) {
        self.bytes = bytes + [0]
        position = start
    }

    var isAtEnd: Bool { position >= bytes.count - 1 }

    /// Byte offset just after the current position (for switching to binary data).
    var offset: Int { position }

    /// Bytes not yet scanned: a bound on how many lines (or records) can still follow.
    var remainingBytes: Int { max(0, bytes.count - 1 - position) }

    /// The next line's byte range (without the line break), or nil at the end.
    mutating func nextLine() -> Range<Int>? {
        guard !isAtEnd else { return nil }
        let start = position
        var end = start
        while end < bytes.count - 1 && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
        position = end
        if position < bytes.count - 1 && bytes[position] == 0x0D { position += 1 }
        if position < bytes.count - 1 && bytes[position] == 0x0A { position += 1 }
        lineNumber += 1
        return start ..< end
    }

    /// The next line that is not blank and not a `#` comment, split into tokens.
    mutating func nextContentLine(commentPrefix: UInt8? = 0x23) -> [Range<Int>]? {
        while let line = nextLine() {
            var tokens = self.tokens(in: line)
            if let commentPrefix, let index = tokens.firstIndex(where: { bytes[$0.lowerBound] == commentPrefix }) {
                tokens.removeSubrange(index...)
            }
            if !tokens.isEmpty { return tokens }
        }
        return nil
    }

    /// Whitespace-separated tokens of a line.
    func tokens(in range: Range<Int>) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        var i = range.lowerBound
        while i < range.upperBound {
            while i < range.upperBound && Self.isSpace(bytes[i]) { i += 1 }
            let start = i
            while i < range.upperBound && !Self.isSpace(bytes[i]) { i += 1 }
            if i > start { tokens.append(start ..< i) }
        }
        return tokens
    }

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The token as a number, or nil if it is not entirely a number.
    func double(_ range: Range<Int>) -> Double? {
        bytes.withUnsafeBufferPointer { buffer -> Double? in
            let start = UnsafeRawPointer(buffer.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            guard let end, UnsafeRawPointer(end) == UnsafeRawPointer(buffer.baseAddress! + range.upperBound) else { return nil }
            return value
        }
    }

    /// The token as an integer, or nil.
    func integer(_ range: Range<Int>) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            let start = UnsafeRawPointer(buffer.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            let value = strtol(start, &end, 10)
            guard let end, UnsafeRawPointer(end) == UnsafeRawPointer(buffer.baseAddress! + range.upperBound) else { return nil }
            return value
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A || byte == 0x0C || byte == 0x0B }
}

/// Reading little- or big-endian binary numbers from a byte array; running out throws.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let bigEndian: Bool

    var remaining: Int { bytes.count - position }

    /// Reads `size` bytes as a number of the given kind; nil when the data ends.
    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard position + size <= bytes.count else { return nil }
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { out in
            for k in 0 ..< size { out[k] = bytes[position + k] }
        }
        position += size
        return bigEndian ? T(bigEndian: value) : T(littleEndian: value)
    }

    mutating func readFloat() -> Float? { read(UInt32.self).map { Float(bitPattern: $0) } }
    mutating func readDouble() -> Double? { read(UInt64.self).map { Double(bitPattern: $0) } }
}

/// Writes `data` to `path` atomically (Foundation's `.atomic`: a temporary file, then rename),
/// as the rest of rgdm writes its files.
func writeAtomically(_ data: Data, to path: String) throws {
    do {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw PointCloudError.io(file: path, reason: "cannot write: \(error.localizedDescription)")
    }
}

/// The whole file as bytes, or `.io`.
func readBytes(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        let exists = FileManager.default.fileExists(atPath: path)
        throw PointCloudError.io(file: path, reason: exists ? "cannot read file" : "no such file")
    }
    return [UInt8](data)
}
