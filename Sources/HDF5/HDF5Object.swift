import CHDF5

/// A named object inside an HDF5 file: a group or a dataset. Both carry attributes.
public protocol HDF5Object: Sendable {
    var file: HDF5File { get }
    /// Absolute path inside the file, `"/"` for the root group.
    var path: String { get }
}

extension HDF5Object {
    /// The last component of `path` (`""` for the root).
    public var name: String { path.split(separator: "/").last.map(String.init) ?? "" }

    /// `path` joined with a relative name; absolute names are returned as they are.
    func childPath(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return path == "/" ? "/" + name : path + "/" + name
    }

    /// Opens this object and passes its identifier to `body`. Call inside `HDF5Library.locked`.
    func withOpenObject<T>(_ body: (hid_t) throws -> T) throws -> T {
        let object = H5Oopen(try file.id(), path, rgdm_H5P_DEFAULT())
        guard object >= 0 else { throw HDF5Error.missing(file: file.path, object: path, kind: "object") }
        defer { _ = H5Oclose(object) }
        return try body(object)
    }
}

extension HDF5File {
    /// Whether every component of `path` exists as a link. Call inside `HDF5Library.locked`.
    func linkExists(_ path: String) -> Bool {
        guard let fid = try? id() else { return false }
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            guard H5Lexists(fid, prefix, rgdm_H5P_DEFAULT()) > 0 else { return false }
        }
        return true
    }

    /// The kind of object at `path` (`H5I_GROUP`, `H5I_DATASET`), or nil when absent.
    /// Call inside `HDF5Library.locked`.
    func objectKind(_ path: String) -> H5I_type_t? {
        guard path == "/" || linkExists(path), let fid = try? id() else { return nil }
        let object = H5Oopen(fid, path, rgdm_H5P_DEFAULT())
        guard object >= 0 else { return nil }
        defer { _ = H5Oclose(object) }
        return H5Iget_type(object)
    }
}
