import Foundation

/// Where a record sits: its 0-based index over all the inputs of a job, its
/// file and its 1-based record number there.
struct RecordPosition: Equatable, Sendable {
    var index: Int
    var file: String
    var record: Int
}

/// A small file, mapped into a worker's memory, that says which record the
/// worker is on. The worker writes it before Open Babel sees each record (no
/// system call: a store into shared memory); the parent reads it when the
/// worker dies, so the record that killed it can be named and stepped over.
///
/// Layout: five Int64 (state: 0 between records, 1 in one; index; record;
/// 1 if the record's format can be stepped over without parsing; length of
/// the file name), then the file name's UTF-8 bytes.
final class WorkerHeartbeat {
    private static let size = 4096
    private static let header = 5 * MemoryLayout<Int64>.size
    private let base: UnsafeMutableRawPointer
    private var file = ""

    /// Creates (or empties) the heartbeat file at `path` and maps it.
    init(path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw PipelineError.invalidRun(path: path, reason: "cannot create the worker heartbeat file") }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(Self.size)) == 0,
              let mapped = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0),
              mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw PipelineError.invalidRun(path: path, reason: "cannot map the worker heartbeat file")
        }
        base = mapped
    }

    deinit { munmap(base, Self.size) }

    /// Notes that the worker is starting on `position`.
    func enter(_ position: RecordPosition, skippable: Bool) {
        store(0, at: 0)
        if position.file != file {
            let bytes = Array(position.file.utf8.prefix(Self.size - Self.header))
            bytes.withUnsafeBytes { raw in
                if let source = raw.baseAddress { base.advanced(by: Self.header).copyMemory(from: source, byteCount: raw.count) }
            }
            store(bytes.count, at: 4)
            file = position.file
        }
        store(position.index, at: 1)
        store(position.record, at: 2)
        store(skippable ? 1 : 0, at: 3)
        store(1, at: 0)
    }

    /// Notes that the worker is between records.
    func leave() { store(0, at: 0) }

    private func store(_ value: Int, at slot: Int) {
        base.storeBytes(of: Int64(value), toByteOffset: slot * MemoryLayout<Int64>.size, as: Int64.self)
    }

    /// The record a worker was on, read from its heartbeat file (nil if it was between records).
    static func record(in path: String) -> (position: RecordPosition, skippable: Bool)? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= header else { return nil }
        let values = (0..<5).map { slot in
            data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: slot * MemoryLayout<Int64>.size, as: Int64.self) }
        }
        let length = Int(values[4])
        guard values[0] == 1, length >= 0, header + length <= data.count else { return nil }
        let file = String(decoding: data[header..<(header + length)], as: UTF8.self)
        return (RecordPosition(index: Int(values[1]), file: file, record: Int(values[2])), values[3] == 1)
    }
}
