import CHDF5

/// The element type of a dataset or attribute as stored in the file.
public enum HDF5ElementType: Equatable, Hashable, Sendable, CustomStringConvertible {
    case float32, float64
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64
    /// A string; `fixedLength` is the byte width of fixed strings, `nil` for variable length.
    case string(fixedLength: Int?)
    /// Anything else (compound, enum, opaque, …), named by its HDF5 class.
    case other(String)

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        case .int8: return "int8"
        case .uint8: return "uint8"
        case .int16: return "int16"
        case .uint16: return "uint16"
        case .int32: return "int32"
        case .uint32: return "uint32"
        case .int64: return "int64"
        case .uint64: return "uint64"
        case let .string(width?): return "fixed string[\(width)]"
        case .string(nil): return "variable-length string"
        case let .other(name): return name
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .string, .other: return false
        default: return true
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Reads the element type of an HDF5 datatype identifier. Call inside `HDF5Library.locked`.
    init(typeID: hid_t) {
        let size = H5Tget_size(typeID)
        switch H5Tget_class(typeID) {
        case H5T_FLOAT:
            self = size == 4 ? .float32 : size == 8 ? .float64 : .other("float\(size * 8)")
        case H5T_INTEGER:
            let signed = H5Tget_sign(typeID) != H5T_SGN_NONE
            switch (size, signed) {
            case (1, true): self = .int8
            case (1, false): self = .uint8
            case (2, true): self = .int16
            case (2, false): self = .uint16
            case (4, true): self = .int32
            case (4, false): self = .uint32
            case (8, true): self = .int64
            case (8, false): self = .uint64
            default: self = .other("int\(size * 8)")
            }
        case H5T_STRING:
            self = H5Tis_variable_str(typeID) > 0 ? .string(fixedLength: nil) : .string(fixedLength: size)
        case H5T_COMPOUND: self = .other("compound")
        case H5T_ENUM: self = .other("enum")
        case H5T_OPAQUE: self = .other("opaque")
        case H5T_ARRAY: self = .other("array")
        case H5T_VLEN: self = .other("variable-length sequence")
        case H5T_BITFIELD: self = .other("bitfield")
        case H5T_REFERENCE: self = .other("reference")
        default: self = .other("unknown HDF5 type")
        }
    }
}

/// Byte order of stored numbers. HDF5 converts to the machine's order on read.
public enum HDF5ByteOrder: Sendable, Equatable {
    case native, littleEndian, bigEndian
}

/// A Swift number type HDF5 reads into and writes from; the library converts between it and the
/// stored type (any integer or float width, either byte order).
public protocol HDF5Numeric: Sendable {
    /// The matching HDF5 memory type (a native type; never closed).
    static var hdf5MemoryType: hid_t { get }
    /// The element type a dataset created from this Swift type has.
    static var hdf5ElementType: HDF5ElementType { get }
    /// Zero, to size buffers.
    static var hdf5Zero: Self { get }
}

extension Float: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_FLOAT() }
    public static var hdf5ElementType: HDF5ElementType { .float32 }
    public static var hdf5Zero: Float { 0 }
}

extension Double: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_DOUBLE() }
    public static var hdf5ElementType: HDF5ElementType { .float64 }
    public static var hdf5Zero: Double { 0 }
}

extension Int8: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_INT8() }
    public static var hdf5ElementType: HDF5ElementType { .int8 }
    public static var hdf5Zero: Int8 { 0 }
}

extension UInt8: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_UINT8() }
    public static var hdf5ElementType: HDF5ElementType { .uint8 }
    public static var hdf5Zero: UInt8 { 0 }
}

extension Int16: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_INT16() }
    public static var hdf5ElementType: HDF5ElementType { .int16 }
    public static var hdf5Zero: Int16 { 0 }
}

extension UInt16: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_UINT16() }
    public static var hdf5ElementType: HDF5ElementType { .uint16 }
    public static var hdf5Zero: UInt16 { 0 }
}

extension Int32: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_INT32() }
    public static var hdf5ElementType: HDF5ElementType { .int32 }
    public static var hdf5Zero: Int32 { 0 }
}

extension UInt32: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_UINT32() }
    public static var hdf5ElementType: HDF5ElementType { .uint32 }
    public static var hdf5Zero: UInt32 { 0 }
}

extension Int64: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_INT64() }
    public static var hdf5ElementType: HDF5ElementType { .int64 }
    public static var hdf5Zero: Int64 { 0 }
}

extension UInt64: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_UINT64() }
    public static var hdf5ElementType: HDF5ElementType { .uint64 }
    public static var hdf5Zero: UInt64 { 0 }
}

/// `Int` is stored as int64 (rgdm targets 64-bit platforms only).
extension Int: HDF5Numeric {
    public static var hdf5MemoryType: hid_t { rgdm_H5T_NATIVE_INT64() }
    public static var hdf5ElementType: HDF5ElementType { .int64 }
    public static var hdf5Zero: Int { 0 }
}

/// An n-dimensional array read from a dataset: row-major `values` with `shape`.
public struct HDF5Array<Element: Sendable>: Sendable {
    public var shape: [Int]
    public var values: [Element]

    public init(shape: [Int], values: [Element]) {
        precondition(shape.reduce(1, *) == values.count, "HDF5Array: shape \(shape) holds \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }

    public var rank: Int { shape.count }
}

extension HDF5Array: Equatable where Element: Equatable {}
