/// Values written one after another into bytes and read back in the same order: what a rank
/// sends the others in `Communicator.allGather` (a pool's graphs, their rewards). Floats and
/// doubles travel as their bit patterns, so a value read back is the value written, bit for
/// bit. Every rank runs the same program, so a read that does not match the writes is a
/// programmer error (`precondition`).
public struct RankMessage: Sendable {
    public private(set) var bytes: [UInt8]
    private var offset = 0

    /// An empty message to write into.
    public init() { bytes = [] }

    /// A message received, to read from its start.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func readUInt64() -> UInt64 {
        precondition(offset + 8 <= bytes.count, "a rank message read past its end (\(bytes.count) bytes)")
        var value: UInt64 = 0
        for k in 0 ..< 8 { value |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return value
    }

    public mutating func append(_ value: Int) { append(UInt64(bitPattern: Int64(value))) }
    public mutating func readInt() -> Int { Int(Int64(bitPattern: readUInt64())) }

    /// The count, then the values.
    public mutating func append(_ values: [Int]) {
        append(values.count)
        for value in values { append(value) }
    }

    public mutating func readInts() -> [Int] { (0 ..< readInt()).map { _ in readInt() } }

    /// The count, then each value's bits.
    public mutating func append(_ values: [Double]) {
        append(values.count)
        for value in values { append(value.bitPattern) }
    }

    public mutating func readDoubles() -> [Double] { (0 ..< readInt()).map { _ in Double(bitPattern: readUInt64()) } }

    /// The count, then each value's 4 bytes (little-endian bits).
    public mutating func append(_ values: [Float]) {
        append(values.count)
        bytes.reserveCapacity(bytes.count + 4 * values.count)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }

    public mutating func readFloats() -> [Float] {
        let count = readInt()
        precondition(offset + 4 * count <= bytes.count, "a rank message read past its end (\(bytes.count) bytes)")
        let values = (0 ..< count).map { k -> Float in
            let at = offset + 4 * k
            let bits = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            return Float(bitPattern: bits)
        }
        offset += 4 * count
        return values
    }
}

extension SampleResult {
    /// Writes the graphs (layout, positions, features; not the trajectory) into `message`.
    public func write(to message: inout RankMessage) {
        message.append(layout.nodeCounts)
        message.append(positions)
        message.append(features)
    }

    /// The graphs `write(to:)` wrote, read from `message`.
    public init(reading message: inout RankMessage) {
        let layout = GraphLayout(nodeCounts: message.readInts())
        self.init(layout: layout, positions: message.readFloats(), features: message.readFloats())
    }
}
