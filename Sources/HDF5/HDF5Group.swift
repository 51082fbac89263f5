import CHDF5

/// A group inside an HDF5 file: a folder of datasets, subgroups and attributes.
public struct HDF5Group: HDF5Object {
    public let file: HDF5File
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    /// Whether a group or dataset exists at `name` (relative to this group, or absolute).
    public func contains(_ name: String) -> Bool {
        HDF5Library.locked { file.linkExists(childPath(name)) }
    }

    /// The subgroup at `name`; throws `.missing` if there is none.
    public func group(_ name: String) throws -> HDF5Group {
        HDF5Group(file: file, path: try existingChild(name, type: H5I_GROUP, kind: "group"))
    }

    /// The dataset at `name`; throws `.missing` if there is none.
    public func dataset(_ name: String) throws -> HDF5Dataset {
        HDF5Dataset(file: file, path: try existingChild(name, type: H5I_DATASET, kind: "dataset"))
    }

    /// The full path of the child `name` after checking it is an object of `type`.
    private func existingChild(_ name: String, type: H5I_type_t, kind: String) throws -> String {
        let target = childPath(name)
        try HDF5Library.locked {
            _ = try file.id()
            guard file.objectKind(target) == type else {
                throw HDF5Error.missing(file: file.path, object: target, kind: kind)
            }
        }
        return target
    }

    /// Names of the direct members (groups and datasets), in name order.
    public func memberNames() throws -> [String] {
        try HDF5Library.locked {
            let fid = try file.id()
            let group = H5Gopen2(fid, path, rgdm_H5P_DEFAULT())
            guard group >= 0 else { throw HDF5Error.missing(file: file.path, object: path, kind: "group") }
            defer { _ = H5Gclose(group) }
            var info = H5G_info_t()
            guard H5Gget_info(group, &info) >= 0 else {
                throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Gget_info")
            }
            var names: [String] = []
            for index in 0 ..< info.nlinks {
                let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, rgdm_H5P_DEFAULT())
                guard length >= 0 else {
                    throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Lget_name_by_idx")
                }
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                _ = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, rgdm_H5P_DEFAULT())
                names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            return names
        }
    }

    /// Names of the direct subgroups, in name order.
    public func groupNames() throws -> [String] {
        try memberNames().filter { name in HDF5Library.locked { file.objectKind(childPath(name)) == H5I_GROUP } }
    }

    /// Names of the direct datasets, in name order.
    public func datasetNames() throws -> [String] {
        try memberNames().filter { name in HDF5Library.locked { file.objectKind(childPath(name)) == H5I_DATASET } }
    }

    /// Creates a subgroup (and any missing intermediate groups) and returns it; an existing group
    /// is returned as it is.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        let target = childPath(name)
        try HDF5Library.locked {
            let fid = try file.id()
            guard file.isWritable else {
                throw HDF5Error.cannotWrite(file: file.path, reason: "file was opened read-only")
            }
            var prefix = ""
            for component in target.split(separator: "/") {
                prefix += "/" + component
                if file.linkExists(prefix) {
                    guard file.objectKind(prefix) == H5I_GROUP else {
                        throw HDF5Error.invalidRequest(file: file.path, object: prefix, reason: "exists and is not a group")
                    }
                    continue
                }
                let group = H5Gcreate2(fid, prefix, rgdm_H5P_DEFAULT(), rgdm_H5P_DEFAULT(), rgdm_H5P_DEFAULT())
                guard group >= 0 else {
                    throw HDF5Error.libraryFailure(file: file.path, object: prefix, call: "H5Gcreate2")
                }
                _ = H5Gclose(group)
            }
        }
        return HDF5Group(file: file, path: target)
    }
}
