import COpenBabel
import Foundation

/// Writes molecules one after another in any format Open Babel writes. A
/// file appears only when `close()` succeeds: records go to a temporary file
/// beside it, renamed into place at the end, so a crash never leaves half a
/// file under the real name. The path "-" writes to standard output.
public final class MoleculeWriter {
    public let path: String
    public let format: MoleculeFormat
    private let options: String
    private let handle: FileHandle
    private let temporaryPath: String?
    private var closed = false

    /// - Parameter options: Open Babel output options, e.g. ["h"] for explicit hydrogens.
    public init(path: String, format: MoleculeFormat? = nil, options: [String] = []) throws {
        self.path = path
        self.format = try MoleculeFormat.resolve(format, path: path == "-" ? "" : path, writing: true)
        self.options = options.joined(separator: " ")
        if path == "-" {
            handle = FileHandle.standardOutput
            temporaryPath = nil
            return
        }
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ChemError.io(file: path, reason: "cannot create \(temporary)")
        }
        self.handle = handle
        temporaryPath = temporary
    }

    deinit {
        if !closed, let temporaryPath {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    /// Appends one record.
    public func write(_ molecule: Molecule) throws {
        precondition(!closed, "MoleculeWriter.write after close()")
        let text = try molecule.string(format: format, options: options)
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw ChemError.io(file: path, reason: "write failed: \(error.localizedDescription)")
        }
    }

    /// Flushes and moves the file into place.
    public func close() throws {
        guard !closed else { return }
        closed = true
        guard let temporaryPath else { return }
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw ChemError.io(file: path, reason: "close failed: \(error.localizedDescription)")
        }
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw ChemError.io(file: path, reason: "rename failed: \(reason)")
        }
    }
}
