import CHDF5
import Foundation

/// An HDF5 file, opened read-only or created atomically.
///
///     let file = try HDF5File(readingFrom: "modelnet40_train0.h5")
///     let data = try file.dataset("data").read(Float.self, rank: 3)   // [B, 2048, 3]
///
///     let out = try HDF5File(creating: "shapes.h5")    // written to a hidden temporary twin
///     try out.root.createDataset("points", values: xyz, shape: [n, 3], storage: .compressed())
///     try out.commit()                                // flushed, closed, renamed into place
///
/// A created file appears at its path only on `commit()`; if the object is dropped (or `close()`
/// is called) before that, the temporary twin is deleted and any old file at the path is left as
/// it was. Groups and datasets are lightweight values naming a path inside the file; each call
/// opens and closes the HDF5 objects it needs under the global HDF5 lock, so the values can be
/// shared across threads (calls are serialised, not parallel).
public final class HDF5File: @unchecked Sendable {
    /// The path the caller named (for a created file, where it appears on `commit()`).
    public let path: String
    /// Whether the file was created (writable) rather than opened read-only.
    public let isWritable: Bool
    /// Where a created file is written until `commit()`.
    let temporaryPath: String?
    /// The size on disk of a file opened read-only, taken when it was opened, which bounds the
    /// storage any object in it can have (the superblock's own end-of-file address is as
    /// corruptible as the rest); nil for a created file, which is still being written.
    let readOnlyByteCount: hsize_t?
    private var fileID: hid_t

    /// Opens an existing HDF5 file read-only, after the installed `HDF5Preflight` check unless
    /// `preflight` is false (the check's own reading).
    public init(readingFrom path: String, preflight: Bool = true) throws {
        self.path = path
        self.isWritable = false
        self.temporaryPath = nil
        guard FileManager.default.fileExists(atPath: path) else {
            throw HDF5Error.cannotOpen(file: path, reason: "no such file")
        }
        if preflight { try HDF5Preflight.run(on: path) }
        let id: hid_t = HDF5Library.locked {
            guard H5Fis_hdf5(path) > 0 else { return -2 }
            let id = H5Fopen(path, rgdm_H5F_ACC_RDONLY(), rgdm_H5P_DEFAULT())
            if id >= 0 { _ = rgdm_H5F_close_on_exec(id) }
            return id
        }
        if id == -2 { throw HDF5Error.cannotOpen(file: path, reason: "not an HDF5 file") }
        guard id >= 0 else { throw HDF5Error.cannotOpen(file: path, reason: "H5Fopen failed (truncated or unreadable file?)") }
        var info = stat()
        self.readOnlyByteCount = stat(path, &info) == 0 ? hsize_t(info.st_size) : nil
        self.fileID = id
    }

    /// Creates a new file that will replace `path` on `commit()`.
    public init(creating path: String) throws {
        self.path = path
        self.isWritable = true
        self.readOnlyByteCount = nil
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory) else {
            throw HDF5Error.cannotWrite(file: path, reason: "directory \(directory) does not exist")
        }
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        self.temporaryPath = temporary
        // No file lock on the temporary: its name is private to this writer, and HDF5's lock is a
        // `flock` on a descriptor opened without O_CLOEXEC, which a child process forked before
        // the descriptor is marked close-on-exec shares, and which then outlives `commit()`: the
        // committed file would not open until that child closed it.
        let id: hid_t = HDF5Library.locked {
            let access = HDF5Handle.plist(H5Pcreate(rgdm_H5P_FILE_ACCESS()))
            defer { access.close() }
            guard access.id >= 0, H5Pset_file_locking(access.id, false, true) >= 0 else { return -1 }
            let id = H5Fcreate(temporary, rgdm_H5F_ACC_EXCL(), rgdm_H5P_DEFAULT(), access.id)
            if id >= 0 { _ = rgdm_H5F_close_on_exec(id) }
            return id
        }
        guard id >= 0 else { throw HDF5Error.cannotWrite(file: path, reason: "H5Fcreate failed for \(temporary)") }
        self.fileID = id
    }

    deinit { close() }

    /// The root group `/`.
    public var root: HDF5Group { HDF5Group(file: self, path: "/") }

    /// The group at `path` (absolute, or relative to the root).
    public func group(_ path: String) throws -> HDF5Group { try root.group(path) }

    /// The dataset at `path` (absolute, or relative to the root).
    public func dataset(_ path: String) throws -> HDF5Dataset { try root.dataset(path) }

    /// Whether a link (group or dataset) exists at `path`.
    public func contains(_ path: String) -> Bool { root.contains(path) }

    /// Flushes and closes a created file and renames it into place atomically.
    public func commit() throws {
        guard isWritable, let temporaryPath else {
            throw HDF5Error.cannotWrite(file: path, reason: "file was opened read-only")
        }
        let status: herr_t = try HDF5Library.locked {
            guard fileID >= 0 else { throw HDF5Error.closed(file: path) }
            let flushed = H5Fflush(fileID, H5F_SCOPE_GLOBAL)
            let closed = H5Fclose(fileID)
            fileID = -1
            return flushed < 0 ? flushed : closed
        }
        guard status >= 0 else {
            unlink(temporaryPath)
            throw HDF5Error.cannotWrite(file: path, reason: "flush/close failed")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw HDF5Error.cannotWrite(file: path, reason: "rename from temporary file failed: \(reason)")
        }
    }

    /// Closes the file. A created file that was not committed is discarded.
    public func close() {
        HDF5Library.locked {
            guard fileID >= 0 else { return }
            _ = H5Fclose(fileID)
            fileID = -1
            if let temporaryPath { unlink(temporaryPath) }
        }
    }

    /// The open file identifier; throws once closed. Call inside `HDF5Library.locked`.
    func id() throws -> hid_t {
        guard fileID >= 0 else { throw HDF5Error.closed(file: path) }
        return fileID
    }

    /// Whether `path` names an HDF5 file (by its signature), without opening it for use.
    public static func isHDF5(_ path: String) -> Bool {
        HDF5Library.locked { H5Fis_hdf5(path) > 0 }
    }
}
