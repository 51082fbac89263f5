import COpenBabel
import Foundation

/// Writes molecules one after another in any format Open Babel writes. A
/// file appears only when `close()` succeeds: records go to a temporary file
/// beside it, renamed into place at the end, so a crash never leaves half a
/// file under the real name. The path "-" writes to standard output.
///
/// All records of a file go through one Open Babel conversion, so formats
/// that wrap several records write one valid file: PDB as MODEL/ENDMDL blocks
/// and a final END, CML as one `<cml>` root around the `<molecule>`s. These
/// need to know which record is the last, so the writer holds one record back
/// and `close()` writes it: always call `close()`, standard output included.
/// A single record is written as a plain file (no MODEL, no `<cml>` wrapper).
public final class MoleculeWriter {
    public let path: String
    public let format: MoleculeFormat
    private let handle: FileHandle
    private let temporaryPath: String?
    private let writer: OpaquePointer
    private var closed = false

    /// - Parameter options: Open Babel output options, e.g. ["h"] for explicit hydrogens.
    public init(path: String, format: MoleculeFormat? = nil, options: [String] = []) throws {
        self.path = path
        let format = try MoleculeFormat.resolve(format, path: path == "-" ? "" : path, writing: true)
        self.format = format
        let joined = options.joined(separator: " ")
        let created = OpenBabelLock.run { () -> (OpaquePointer?, String) in
            let pointer = rgdm_ob_writer_new(format.name, joined.isEmpty ? nil : joined)
            return (pointer, OpenBabelLock.lastError)
        }
        guard let writer = created.0 else { throw ChemError.io(file: path, reason: created.1) }
        if path == "-" {
            handle = FileHandle.standardOutput
            temporaryPath = nil
            self.writer = writer
            return
        }
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            OpenBabelLock.run { rgdm_ob_writer_free(writer) }
            throw ChemError.io(file: path, reason: "cannot create \(temporary)")
        }
        self.handle = handle
        self.writer = writer
        temporaryPath = temporary
    }

    deinit {
        let writer = self.writer
        OpenBabelLock.run { rgdm_ob_writer_free(writer) }
        if !closed, let temporaryPath {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    /// Appends one record (written out when the next one comes, or on `close()`).
    public func write(_ molecule: Molecule) throws {
        precondition(!closed, "MoleculeWriter.write after close()")
        let text = try OpenBabelLock.run { () -> String in
            let molecule = try OBMoleculeHandle(molecule)
            return try string(rgdm_ob_writer_add(writer, molecule.pointer))
        }
        try append(text)
    }

    /// Writes the last record, flushes and moves the file into place.
    public func close() throws {
        guard !closed else { return }
        closed = true
        let text = try OpenBabelLock.run { try string(rgdm_ob_writer_finish(writer)) }
        try append(text)
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

    /// The text a writer call returned; a NULL names the record that failed.
    private func string(_ pointer: UnsafeMutablePointer<CChar>?) throws -> String {
        guard let pointer else { throw ChemError.io(file: path, reason: OpenBabelLock.lastError) }
        defer { rgdm_ob_free(pointer) }
        return String(cString: pointer)
    }

    private func append(_ text: String) throws {
        guard !text.isEmpty else { return }
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw ChemError.io(file: path, reason: "write failed: \(error.localizedDescription)")
        }
    }
}
