import CHDF5
import Foundation

/// The one gate to the HDF5 C library.
///
/// The serial HDF5 library keeps global state and is not thread-safe, so every call the wrapper
/// makes runs inside `HDF5Library.locked { … }`, on one process-wide recursive lock. Each call
/// also turns off HDF5's own printing of error stacks on the calling thread (Debian's build keeps
/// one error stack per thread): failures become thrown `HDF5Error`s.
enum HDF5Library {
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var initialised = false

    /// Runs `body` while holding the global HDF5 lock.
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        if !initialised {
            // No flush of files left open at process exit: rgdm commits or discards every file it
            // creates, and after a write failed (a full disk) HDF5's exit-time cleanup of that
            // file dereferences freed state and crashes the process after the error was reported.
            H5dont_atexit()
            H5open()
            initialised = true
        }
        rgdm_H5_silence_errors()
        return try body()
    }
}

/// Closes an HDF5 identifier of any kind (file, group, dataset, dataspace, datatype, property
/// list, attribute) when it goes out of scope. Used only inside `HDF5Library.locked`.
struct HDF5Handle {
    let id: hid_t
    private let closer: (hid_t) -> herr_t

    init(_ id: hid_t, closer: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.closer = closer
    }

    func close() { if id >= 0 { _ = closer(id) } }

    static func dataset(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, closer: H5Dclose) }
    static func group(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, closer: H5Gclose) }
    static func object(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, closer: H5Oclose) }
    static func space(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, closer: H5Sclose) }
    static func type(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, closer: H5Tclose) }
    static func plist(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, closer: H5Pclose) }
    static func attribute(_ id: hid_t) -> HDF5Handle { HDF5Handle(id, closer: H5Aclose) }
}
