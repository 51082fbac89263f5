import CHDF5

/// How a new dataset is stored.
public enum HDF5Storage: Sendable, Equatable {
    /// One contiguous block (the default; fastest to read whole).
    case contiguous
    /// Chunked; `chunkShape` nil picks whole rows, about 256 KiB a chunk.
    case chunked(chunkShape: [Int]? = nil)
    /// Chunked, byte-shuffled and gzip-compressed at `level` (1–9).
    case compressed(level: Int = 4, chunkShape: [Int]? = nil)
}

extension HDF5Group {
    /// Creates a numeric dataset of `shape` filled with zeros (fill it with `write` or
    /// `writeRows`). Missing parent groups in `name` are created.
    @discardableResult
    public func createDataset<T: HDF5Numeric>(
        _ name: String, of type: T.Type, shape: [Int],
        storage: HDF5Storage = .contiguous, byteOrder: HDF5ByteOrder = .native
    ) throws -> HDF5Dataset {
        try create(name, shape: shape, storage: storage, elementSize: MemoryLayout<T>.stride) { () -> hid_t in
            let fileType = H5Tcopy(T.hdf5MemoryType)
            switch byteOrder {
            case .native: break
            case .littleEndian: _ = H5Tset_order(fileType, H5T_ORDER_LE)
            case .bigEndian: _ = H5Tset_order(fileType, H5T_ORDER_BE)
            }
            return fileType
        }
    }

    /// Creates a numeric dataset holding `values` (row-major, filling `shape`).
    @discardableResult
    public func createDataset<T: HDF5Numeric>(
        _ name: String, values: [T], shape: [Int],
        storage: HDF5Storage = .contiguous, byteOrder: HDF5ByteOrder = .native
    ) throws -> HDF5Dataset {
        guard shape.reduce(1, *) == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw HDF5Error.invalidRequest(file: file.path, object: childPath(name),
                                           reason: "\(values.count) values do not fill shape \(shape)")
        }
        let dataset = try createDataset(name, of: T.self, shape: shape, storage: storage, byteOrder: byteOrder)
        try dataset.write(values)
        return dataset
    }

    /// Creates a one-dimensional string dataset: UTF-8, variable length (`fixedLength` nil, as
    /// h5py's `str`) or fixed width in bytes, null-padded (as NumPy's `S` arrays).
    @discardableResult
    public func createDataset(
        _ name: String, strings: [String], fixedLength: Int? = nil, storage: HDF5Storage = .contiguous
    ) throws -> HDF5Dataset {
        let target = childPath(name)
        if let fixedLength, let long = strings.first(where: { $0.utf8.count > fixedLength }) {
            throw HDF5Error.invalidRequest(file: file.path, object: target,
                                           reason: "string '\(long.prefix(40))' is longer than the fixed width \(fixedLength)")
        }
        var storageTypeID: hid_t = -1
        let dataset = try create(name, shape: [strings.count], storage: storage, elementSize: fixedLength ?? 16) { () -> hid_t in
            storageTypeID = HDF5Strings.storageType(fixedLength: fixedLength)
            return H5Tcopy(storageTypeID)
        }
        try HDF5Library.locked {
            defer { _ = H5Tclose(storageTypeID) }
            try dataset.withOpenDataset { id in
                let status = HDF5Strings.write(strings, storageType: storageTypeID) { memType, buffer in
                    H5Dwrite(id, memType, rgdm_H5S_ALL(), rgdm_H5S_ALL(), rgdm_H5P_DEFAULT(), buffer)
                }
                guard let status, status >= 0 else {
                    throw HDF5Error.libraryFailure(file: file.path, object: target, call: "H5Dwrite (strings)")
                }
            }
        }
        return dataset
    }

    /// Creates the dataset's dataspace, property list and link. `makeType` returns a datatype the
    /// function closes.
    private func create(
        _ name: String, shape: [Int], storage: HDF5Storage, elementSize: Int, makeType: () -> hid_t
    ) throws -> HDF5Dataset {
        let target = childPath(name)
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw HDF5Error.invalidRequest(file: file.path, object: target, reason: "negative dimension in shape \(shape)")
        }
        let parent = String(target[..<(target.lastIndex(of: "/") ?? target.startIndex)])
        if !parent.isEmpty { try file.root.createGroup(parent) }
        try HDF5Library.locked {
            let fid = try file.id()
            guard file.isWritable else { throw HDF5Error.cannotWrite(file: file.path, reason: "file was opened read-only") }
            guard !file.linkExists(target) else {
                throw HDF5Error.invalidRequest(file: file.path, object: target, reason: "already exists")
            }
            let dims = shape.map { hsize_t($0) }
            let space = HDF5Handle.space(dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil))
            defer { space.close() }
            let type = HDF5Handle.type(makeType())
            defer { type.close() }
            let plist = HDF5Handle.plist(H5Pcreate(rgdm_H5P_DATASET_CREATE()))
            defer { plist.close() }
            try configure(plist.id, storage: storage, shape: shape, elementSize: elementSize, target: target)
            let dataset = H5Dcreate2(fid, target, type.id, space.id, rgdm_H5P_DEFAULT(), plist.id, rgdm_H5P_DEFAULT())
            guard dataset >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: target, call: "H5Dcreate2") }
            _ = H5Dclose(dataset)
        }
        return HDF5Dataset(file: file, path: target)
    }

    private func configure(_ plist: hid_t, storage: HDF5Storage, shape: [Int], elementSize: Int, target: String) throws {
        let chunkShape: [Int]?
        let level: Int?
        switch storage {
        case .contiguous: return
        case let .chunked(chunk): chunkShape = chunk; level = nil
        case let .compressed(l, chunk): chunkShape = chunk; level = l
        }
        // Chunks need a non-empty, non-scalar shape; empty datasets stay contiguous.
        guard !shape.isEmpty, !shape.contains(0) else { return }
        let chunk = chunkShape ?? Self.defaultChunk(shape: shape, elementSize: elementSize)
        guard chunk.count == shape.count, zip(chunk, shape).allSatisfy({ $0 >= 1 && $0 <= $1 }) else {
            throw HDF5Error.invalidRequest(file: file.path, object: target, reason: "chunk shape \(chunk) does not fit shape \(shape)")
        }
        let chunkDims = chunk.map { hsize_t($0) }
        guard H5Pset_chunk(plist, Int32(chunkDims.count), chunkDims) >= 0 else {
            throw HDF5Error.libraryFailure(file: file.path, object: target, call: "H5Pset_chunk")
        }
        if let level {
            guard (0 ... 9).contains(level) else {
                throw HDF5Error.invalidRequest(file: file.path, object: target, reason: "gzip level \(level) is not in 0...9")
            }
            guard H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 else {
                throw HDF5Error.invalidRequest(file: file.path, object: target, reason: "this HDF5 library has no gzip filter")
            }
            _ = H5Pset_shuffle(plist)
            _ = H5Pset_deflate(plist, UInt32(level))
        }
    }

    /// Whole trailing dimensions and as many rows as fit in about 256 KiB.
    static func defaultChunk(shape: [Int], elementSize: Int) -> [Int] {
        let rowBytes = max(1, shape.dropFirst().reduce(1, *) * elementSize)
        let rows = max(1, min(shape[0], (256 * 1024) / rowBytes))
        return [rows] + shape.dropFirst()
    }
}
