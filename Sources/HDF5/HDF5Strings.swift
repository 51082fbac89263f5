import CHDF5
import Foundation

/// Reading and writing HDF5 strings (variable-length or fixed width) for datasets and attributes.
/// Every function here is called inside `HDF5Library.locked`.
enum HDF5Strings {
    /// A memory string type matching `fileType`'s kind (variable or fixed) and character set.
    /// The caller closes it.
    static func memoryType(matching fileType: hid_t) -> hid_t {
        let memType = H5Tcopy(rgdm_H5T_C_S1())
        if H5Tis_variable_str(fileType) > 0 {
            _ = H5Tset_size(memType, rgdm_H5T_VARIABLE())
        } else {
            _ = H5Tset_size(memType, H5Tget_size(fileType))
            _ = H5Tset_strpad(memType, H5Tget_strpad(fileType))
        }
        _ = H5Tset_cset(memType, H5Tget_cset(fileType))
        return memType
    }

    /// A new string type to store strings with: UTF-8, variable length or `fixedLength` bytes
    /// (null-padded, as NumPy's `S` arrays). The caller closes it.
    static func storageType(fixedLength: Int?) -> hid_t {
        let type = H5Tcopy(rgdm_H5T_C_S1())
        if let fixedLength {
            _ = H5Tset_size(type, max(1, fixedLength))
            _ = H5Tset_strpad(type, H5T_STR_NULLPAD)
        } else {
            _ = H5Tset_size(type, rgdm_H5T_VARIABLE())
        }
        _ = H5Tset_cset(type, H5T_CSET_UTF8)
        return type
    }

    /// Reads `count` strings of `fileType` through `read(memoryType, buffer)`, which performs the
    /// H5Dread/H5Aread call, and `space`, the dataspace the read covers (for freeing vlen memory).
    static func read(
        fileType: hid_t, count: Int, space: hid_t,
        read: (hid_t, UnsafeMutableRawPointer) -> herr_t
    ) -> [String]? {
        let memType = memoryType(matching: fileType)
        defer { _ = H5Tclose(memType) }
        if count == 0 { return [] }
        if H5Tis_variable_str(fileType) > 0 {
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
            guard status >= 0 else { return nil }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = pointers.withUnsafeMutableBytes { H5Dvlen_reclaim(memType, space, rgdm_H5P_DEFAULT(), $0.baseAddress!) }
            return strings
        }
        let width = H5Tget_size(fileType)
        let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
        var bytes = [UInt8](repeating: 0, count: count * width)
        let status = bytes.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
        guard status >= 0 else { return nil }
        return (0 ..< count).map { index in
            var slice = bytes[(index * width) ..< ((index + 1) * width)]
            if let end = slice.firstIndex(of: 0) { slice = slice[..<end] }
            var text = String(decoding: slice, as: UTF8.self)
            if spacePadded { while text.hasSuffix(" ") { text.removeLast() } }
            return text
        }
    }

    /// Writes `strings` with `storageType` through `write(memoryType, buffer)`.
    /// Returns nil when a string is longer than a fixed width.
    static func write(
        _ strings: [String], storageType: hid_t,
        write: (hid_t, UnsafeRawPointer) -> herr_t
    ) -> herr_t? {
        if strings.isEmpty { return 0 }
        if H5Tis_variable_str(storageType) > 0 {
            let duplicates = strings.map { strdup($0) }
            defer { duplicates.forEach { free($0) } }
            var pointers = duplicates.map { UnsafePointer<CChar>($0) }
            return pointers.withUnsafeMutableBytes { write(storageType, UnsafeRawPointer($0.baseAddress!)) }
        }
        let width = H5Tget_size(storageType)
        var bytes = [UInt8](repeating: 0, count: max(1, strings.count * width))
        for (index, string) in strings.enumerated() {
            let utf8 = Array(string.utf8)
            guard utf8.count <= width else { return nil }
            bytes.replaceSubrange((index * width) ..< (index * width + utf8.count), with: utf8)
        }
        return bytes.withUnsafeBytes { write(storageType, $0.baseAddress!) }
    }
}
