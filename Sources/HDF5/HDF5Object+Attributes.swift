import CHDF5

/// The value of an attribute: strings or numbers, one or many.
public enum HDF5AttributeValue: Sendable, Equatable {
    case string(String)
    case strings([String])
    case int(Int)
    case ints([Int])
    case double(Double)
    case doubles([Double])
}

extension HDF5Object {
    /// Names of this object's attributes, in name order.
    public func attributeNames() throws -> [String] {
        try HDF5Library.locked {
            try withOpenObject { object in
                var info = H5O_info_t()
                guard H5Oget_info2(object, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else {
                    throw HDF5Error.libraryFailure(file: file.path, object: path, call: "H5Oget_info2")
                }
                return (0 ..< info.num_attrs).compactMap { index -> String? in
                    let length = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, rgdm_H5P_DEFAULT())
                    guard length >= 0 else { return nil }
                    var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                    _ = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, rgdm_H5P_DEFAULT())
                    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            }
        }
    }

    /// Whether this object has an attribute called `name`.
    public func hasAttribute(_ name: String) -> Bool {
        (try? HDF5Library.locked { try withOpenObject { H5Aexists($0, name) > 0 } }) ?? false
    }

    /// Reads attribute `name`: integers as `.int`/`.ints`, floats as `.double`/`.doubles`,
    /// strings as `.string`/`.strings` (scalar attributes give the single cases).
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        let where_ = path == "/" ? "/@" + name : path + "@" + name
        return try HDF5Library.locked {
            try withOpenObject { object in
                guard H5Aexists(object, name) > 0 else { throw HDF5Error.missing(file: file.path, object: where_, kind: "attribute") }
                let attribute = HDF5Handle.attribute(H5Aopen(object, name, rgdm_H5P_DEFAULT()))
                defer { attribute.close() }
                guard attribute.id >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: where_, call: "H5Aopen") }
                let type = HDF5Handle.type(H5Aget_type(attribute.id))
                defer { type.close() }
                let space = HDF5Handle.space(H5Aget_space(attribute.id))
                defer { space.close() }
                let scalar = H5Sget_simple_extent_type(space.id) == H5S_SCALAR
                let points = H5Sget_simple_extent_npoints(space.id)
                guard points >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: where_, call: "H5Sget_simple_extent_npoints") }
                let count = Int(points)
                let element = HDF5ElementType(typeID: type.id)
                try HDF5ReadLimit.check(count: count, total: count, storedSize: H5Tget_size(type.id),
                                        memorySize: max(H5Tget_size(type.id), 8), storageBytes: H5Aget_storage_size(attribute.id),
                                        fileBytes: file.readOnlyByteCount, file: file.path, object: where_)
                switch element {
                case .string:
                    guard let strings = HDF5Strings.read(fileType: type.id, count: count, space: space.id, read: { memType, buffer in
                        H5Aread(attribute.id, memType, buffer)
                    }) else { throw HDF5Error.libraryFailure(file: file.path, object: where_, call: "H5Aread (strings)") }
                    return scalar ? .string(strings.first ?? "") : .strings(strings)
                case .float32, .float64:
                    var values = [Double](repeating: 0, count: count)
                    guard count == 0 || values.withUnsafeMutableBytes({ H5Aread(attribute.id, rgdm_H5T_NATIVE_DOUBLE(), $0.baseAddress) }) >= 0 else {
                        throw HDF5Error.libraryFailure(file: file.path, object: where_, call: "H5Aread (float64)")
                    }
                    return scalar ? .double(values.first ?? 0) : .doubles(values)
                case .other:
                    throw HDF5Error.wrongType(file: file.path, object: where_, expected: "numbers or strings", actual: element.description)
                default:
                    var values = [Int](repeating: 0, count: count)
                    guard count == 0 || values.withUnsafeMutableBytes({ H5Aread(attribute.id, rgdm_H5T_NATIVE_INT64(), $0.baseAddress) }) >= 0 else {
                        throw HDF5Error.libraryFailure(file: file.path, object: where_, call: "H5Aread (int64)")
                    }
                    return scalar ? .int(values.first ?? 0) : .ints(values)
                }
            }
        }
    }

    /// Attribute `name` as one string; throws `.wrongType` for numbers.
    public func stringAttribute(_ name: String) throws -> String {
        switch try attribute(name) {
        case let .string(value): return value
        case let .strings(values) where values.count == 1: return values[0]
        default: throw HDF5Error.wrongType(file: file.path, object: path + "@" + name, expected: "a string", actual: "\(try attribute(name))")
        }
    }

    /// Attribute `name` as one integer; throws `.wrongType` for strings or fractional floats.
    public func intAttribute(_ name: String) throws -> Int {
        switch try attribute(name) {
        case let .int(value): return value
        case let .ints(values) where values.count == 1: return values[0]
        case let .double(value) where value.rounded() == value && abs(value) < 9e18: return Int(value)
        default: throw HDF5Error.wrongType(file: file.path, object: path + "@" + name, expected: "an integer", actual: "\(try attribute(name))")
        }
    }

    /// Attribute `name` as one number (integers converted).
    public func doubleAttribute(_ name: String) throws -> Double {
        switch try attribute(name) {
        case let .double(value): return value
        case let .doubles(values) where values.count == 1: return values[0]
        case let .int(value): return Double(value)
        case let .ints(values) where values.count == 1: return Double(values[0])
        default: throw HDF5Error.wrongType(file: file.path, object: path + "@" + name, expected: "a number", actual: "\(try attribute(name))")
        }
    }

    /// Writes attribute `name`, replacing any attribute of that name.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        let where_ = path == "/" ? "/@" + name : path + "@" + name
        try HDF5Library.locked {
            guard file.isWritable else { throw HDF5Error.cannotWrite(file: file.path, reason: "file was opened read-only") }
            try withOpenObject { object in
                if H5Aexists(object, name) > 0 { _ = H5Adelete(object, name) }
                let count: Int?
                let type: HDF5Handle
                switch value {
                case .string: count = nil; type = HDF5Handle.type(HDF5Strings.storageType(fixedLength: nil))
                case let .strings(v): count = v.count; type = HDF5Handle.type(HDF5Strings.storageType(fixedLength: nil))
                case .int: count = nil; type = HDF5Handle.type(H5Tcopy(rgdm_H5T_NATIVE_INT64()))
                case let .ints(v): count = v.count; type = HDF5Handle.type(H5Tcopy(rgdm_H5T_NATIVE_INT64()))
                case .double: count = nil; type = HDF5Handle.type(H5Tcopy(rgdm_H5T_NATIVE_DOUBLE()))
                case let .doubles(v): count = v.count; type = HDF5Handle.type(H5Tcopy(rgdm_H5T_NATIVE_DOUBLE()))
                }
                defer { type.close() }
                var dims = [hsize_t(count ?? 0)]
                let space = HDF5Handle.space(count == nil ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil))
                defer { space.close() }
                let attribute = HDF5Handle.attribute(H5Acreate2(object, name, type.id, space.id, rgdm_H5P_DEFAULT(), rgdm_H5P_DEFAULT()))
                defer { attribute.close() }
                guard attribute.id >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: where_, call: "H5Acreate2") }
                let status: herr_t?
                switch value {
                case let .string(s):
                    status = HDF5Strings.write([s], storageType: type.id) { H5Awrite(attribute.id, $0, $1) }
                case let .strings(v):
                    status = HDF5Strings.write(v, storageType: type.id) { H5Awrite(attribute.id, $0, $1) }
                case let .int(i):
                    var v = Int64(i)
                    status = H5Awrite(attribute.id, rgdm_H5T_NATIVE_INT64(), &v)
                case let .ints(v):
                    status = v.isEmpty ? 0 : v.map(Int64.init).withUnsafeBytes { H5Awrite(attribute.id, rgdm_H5T_NATIVE_INT64(), $0.baseAddress) }
                case let .double(d):
                    var v = d
                    status = H5Awrite(attribute.id, rgdm_H5T_NATIVE_DOUBLE(), &v)
                case let .doubles(v):
                    status = v.isEmpty ? 0 : v.withUnsafeBytes { H5Awrite(attribute.id, rgdm_H5T_NATIVE_DOUBLE(), $0.baseAddress) }
                }
                guard let status, status >= 0 else { throw HDF5Error.libraryFailure(file: file.path, object: where_, call: "H5Awrite") }
            }
        }
    }
}
