import CHDF5

/// How a dataset's data is laid out in the file.
public enum HDF5Layout: Sendable, Equatable {
    case contiguous, chunked, compact
}

/// Shape, element type and storage of a dataset, read without touching its data.
public struct HDF5DatasetInfo: Sendable, Equatable {
    public var shape: [Int]
    public var elementType: HDF5ElementType
    /// Byte order of stored numbers (`.native` for strings and other non-numeric types).
    public var byteOrder: HDF5ByteOrder
    public var layout: HDF5Layout
    /// Chunk shape for chunked datasets.
    public var chunkShape: [Int]?
    /// Whether the gzip (deflate) filter is applied.
    public var isCompressed: Bool

    public var rank: Int { shape.count }
    public var count: Int { shape.reduce(1, *) }
}

/// A dataset inside an HDF5 file: an n-dimensional array of numbers or strings.
///
/// Numbers are read into any `HDF5Numeric` Swift type; HDF5 converts between widths, integer and
/// float, and byte orders. `readRows(_:)` reads a range along the first dimension (a hyperslab)
/// without loading the rest of the file.
public struct HDF5Dataset: HDF5Object {
    public let file: HDF5File
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    // MARK: Queries

    /// Shape, element type, byte order and storage layout.
    public func info() throws -> HDF5DatasetInfo {
        try withOpenDataset { dataset in
            let dims = try shape(of: dataset)
            let type = HDF5Handle.type(H5Dget_type(dataset))
            defer { type.close() }
            let elementType = HDF5ElementType(typeID: type.id)
            var order = HDF5ByteOrder.native
            if elementType.isNumeric {
                let stored = H5Tget_order(type.id)
                order = stored == H5T_ORDER_BE ? .bigEndian : stored == H5T_ORDER_LE ? .littleEndian : .native
            }
            let plist = HDF5Handle.plist(H5Dget_create_plist(dataset))
            defer { plist.close() }
            var layout = HDF5Layout.contiguous
            var chunk: [Int]?
            switch H5Pget_layout(plist.id) {
            case H5D_CHUNKED:
                layout = .chunked
                var chunkDims = [hsize_t](repeating: 0, count: max(dims.count, 1))
                let rank = H5Pget_chunk(plist.id, Int32(chunkDims.count), &chunkDims)
                chunk = rank > 0 ? chunkDims.prefix(Int(rank)).map { Int(clamping: $0) } : nil
            case H5D_COMPACT:
                layout = .compact
            default:
                layout = .contiguous
            }
            var compressed = false
            let filters = H5Pget_nfilters(plist.id)
            if filters > 0 {
                for index in 0 ..< UInt32(filters) {
                    var flags: UInt32 = 0
                    var elements = 0
                    var name = [CChar](repeating: 0, count: 64)
                    var config: UInt32 = 0
                    if H5Pget_filter2(plist.id, index, &flags, &elements, nil, 64, &name, &config) == H5Z_FILTER_DEFLATE {
                        compressed = true
                    }
                }
            }
            return HDF5DatasetInfo(shape: dims, elementType: elementType, byteOrder: order, layout: layout,
                                   chunkShape: chunk, isCompressed: compressed)
        }
    }

    /// The dataset's dimensions.
    public func shape() throws -> [Int] { try withOpenDataset { try shape(of: $0) } }

    /// The stored element type.
    public func elementType() throws -> HDF5ElementType { try info().elementType }

    // MARK: Reading numbers

    /// Reads the whole dataset, converted to `T`.
    public func read<T: HDF5Numeric>(_ type: T.Type = T.self) throws -> HDF5Array<T> {
        try readNumbers(rows: nil, rank: nil)
    }

    /// Reads the whole dataset, converted to `T`; throws `.wrongRank` unless it has `rank` dimensions.
    public func read<T: HDF5Numeric>(_ type: T.Type = T.self, rank: Int) throws -> HDF5Array<T> {
        try readNumbers(rows: nil, rank: rank)
    }

    /// Reads rows `rows` along the first dimension (a hyperslab; the rest stays on disk).
    /// The result's first dimension is `rows.count`.
    public func readRows<T: HDF5Numeric>(_ rows: Range<Int>, as type: T.Type = T.self, rank: Int? = nil) throws -> HDF5Array<T> {
        try readNumbers(rows: rows, rank: rank)
    }

    // MARK: Reading strings

    /// Reads a string dataset (variable-length or fixed), flattened in row-major order.
    public func readStrings() throws -> [String] {
        try withOpenDataset { dataset in
            let dims = try shape(of: dataset)
            let type = HDF5Handle.type(H5Dget_type(dataset))
            defer { type.close() }
            guard H5Tget_class(type.id) == H5T_STRING else {
                throw HDF5Error.wrongType(file: file.path, object: path, expected: "strings",
                                          actual: HDF5ElementType(typeID: type.id).description)
            }
            let space = HDF5Handle.space(H5Dget_space(dataset))
            defer { space.close() }
            let count = try elementCount(dims)
            try HDF5ReadLimit.check(count: count, total: count, storedSize: H5Tget_size(type.id),
                                    memorySize: max(H5Tget_size(type.id), MemoryLayout<UnsafeRawPointer>.stride),
                                    storageBytes: H5Dget_storage_size(dataset), fileBytes: file.readOnlyByteCount,
                                    file: file.path, object: path)
            guard let strings = HDF5Strings.read(fileType: type.id, count: count, space: space.id, read: { memType, buffer in
                H5Dread(dataset, memType, rgdm_H5S_ALL(), rgdm_H5S_ALL(), rgdm_H5P_DEFAULT(), buffer)
            }) else {
                throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Dread (strings)")
            }
            return strings
        }
    }

    // MARK: Writing

    /// Overwrites the whole dataset with `values` (row-major, `info().count` of them).
    public func write<T: HDF5Numeric>(_ values: [T]) throws {
        try withOpenDataset { dataset in
            let dims = try shape(of: dataset)
            guard values.count == dims.reduce(1, *) else {
                throw HDF5Error.invalidRequest(file: file.path, object: path,
                                               reason: "\(values.count) values do not fill shape \(dims)")
            }
            if values.isEmpty { return }
            let status = values.withUnsafeBytes {
                H5Dwrite(dataset, T.hdf5MemoryType, rgdm_H5S_ALL(), rgdm_H5S_ALL(), rgdm_H5P_DEFAULT(), $0.baseAddress)
            }
            guard status >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Dwrite") }
        }
    }

    /// Writes whole rows starting at row `start` of the first dimension (a hyperslab write);
    /// `values.count` must be a multiple of one row's size.
    public func writeRows<T: HDF5Numeric>(startingAt start: Int, _ values: [T]) throws {
        try withOpenDataset { dataset in
            let dims = try shape(of: dataset)
            guard !dims.isEmpty else {
                throw HDF5Error.invalidRequest(file: file.path, object: path, reason: "a scalar dataset has no rows")
            }
            let rowSize = dims.dropFirst().reduce(1, *)
            guard rowSize > 0, values.count % rowSize == 0 else {
                throw HDF5Error.invalidRequest(file: file.path, object: path,
                                               reason: "\(values.count) values are not whole rows of \(rowSize)")
            }
            let rows = start ..< start + values.count / rowSize
            let (fileSpace, memSpace) = try selectRows(rows, of: dataset, dims: dims)
            defer { fileSpace.close(); memSpace.close() }
            if rows.isEmpty { return }
            let status = values.withUnsafeBytes {
                H5Dwrite(dataset, T.hdf5MemoryType, memSpace.id, fileSpace.id, rgdm_H5P_DEFAULT(), $0.baseAddress)
            }
            guard status >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Dwrite (rows)") }
        }
    }

    // MARK: Internals (inside the HDF5 lock)

    func withOpenDataset<T>(_ body: (hid_t) throws -> T) throws -> T {
        try HDF5Library.locked {
            let dataset = H5Dopen2(try file.id(), path, rgdm_H5P_DEFAULT())
            guard dataset >= 0 else { throw HDF5Error.missing(file: file.path, object: path, kind: "dataset") }
            defer { _ = H5Dclose(dataset) }
            return try body(dataset)
        }
    }

    private func shape(of dataset: hid_t) throws -> [Int] {
        let space = HDF5Handle.space(H5Dget_space(dataset))
        defer { space.close() }
        let rank = H5Sget_simple_extent_ndims(space.id)
        guard rank >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Sget_simple_extent_ndims") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { _ = H5Sget_simple_extent_dims(space.id, &dims, nil) }
        // A corrupt or hostile header can declare dimensions whose product overflows `Int`.
        let shape = try dims.map { dim in
            guard let size = Int(exactly: dim) else {
                throw HDF5Error.invalidRequest(file: file.path, object: path, reason: "shape \(dims): a dimension exceeds \(Int.max)")
            }
            return size
        }
        _ = try elementCount(shape)   // every product of these dimensions fits in `Int` from here on
        return shape
    }

    /// The product of `dims`, or `.invalidRequest` when it overflows `Int`.
    private func elementCount(_ dims: [Int]) throws -> Int {
        var count = 1
        for dim in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw HDF5Error.invalidRequest(file: file.path, object: path,
                                               reason: "shape \(dims): the element count overflows a 64-bit integer (corrupt header?)")
            }
            count = product
        }
        return count
    }

    /// File and memory dataspaces selecting `rows` of the first dimension.
    private func selectRows(_ rows: Range<Int>, of dataset: hid_t, dims: [Int]) throws -> (HDF5Handle, HDF5Handle) {
        guard !dims.isEmpty, rows.lowerBound >= 0, rows.upperBound <= dims[0] else {
            throw HDF5Error.invalidRequest(file: file.path, object: path,
                                           reason: "rows \(rows.lowerBound)..<\(rows.upperBound) outside shape \(dims)")
        }
        let fileSpace = HDF5Handle.space(H5Dget_space(dataset))
        var start = [hsize_t](repeating: 0, count: dims.count)
        start[0] = hsize_t(rows.lowerBound)
        var count = dims.map { hsize_t($0) }
        count[0] = hsize_t(rows.count)
        if !rows.isEmpty, H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, start, nil, count, nil) < 0 {
            fileSpace.close()
            throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Sselect_hyperslab")
        }
        let memSpace = HDF5Handle.space(H5Screate_simple(Int32(count.count), count, nil))
        return (fileSpace, memSpace)
    }

    private func readNumbers<T: HDF5Numeric>(rows: Range<Int>?, rank: Int?) throws -> HDF5Array<T> {
        try withOpenDataset { dataset in
            let dims = try shape(of: dataset)
            if let rank, dims.count != rank {
                throw HDF5Error.wrongRank(file: file.path, dataset: path, expected: rank, shape: dims)
            }
            let type = HDF5Handle.type(H5Dget_type(dataset))
            defer { type.close() }
            let stored = HDF5ElementType(typeID: type.id)
            guard stored.isNumeric else {
                throw HDF5Error.wrongType(file: file.path, object: path, expected: "numbers (read as \(T.hdf5ElementType))",
                                          actual: stored.description)
            }
            var outShape = dims
            var memSpaceID = rgdm_H5S_ALL()
            var fileSpaceID = rgdm_H5S_ALL()
            var handles: [HDF5Handle] = []
            defer { handles.forEach { $0.close() } }
            if let rows {
                let (fileSpace, memSpace) = try selectRows(rows, of: dataset, dims: dims)
                handles = [fileSpace, memSpace]
                fileSpaceID = fileSpace.id
                memSpaceID = memSpace.id
                outShape[0] = rows.count
            }
            let count = try elementCount(outShape)
            try HDF5ReadLimit.check(count: count, total: try elementCount(dims), storedSize: H5Tget_size(type.id),
                                    memorySize: MemoryLayout<T>.stride, storageBytes: H5Dget_storage_size(dataset),
                                    fileBytes: file.readOnlyByteCount, file: file.path, object: path)
            var values = [T](repeating: T.hdf5Zero, count: count)
            if count > 0 {
                let status = values.withUnsafeMutableBytes {
                    H5Dread(dataset, T.hdf5MemoryType, memSpaceID, fileSpaceID, rgdm_H5P_DEFAULT(), $0.baseAddress)
                }
                guard status >= 0 else {
                    throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Dread (as \(T.hdf5ElementType))")
                }
            }
            return HDF5Array(shape: outShape, values: values)
        }
    }
}
