import CHDF5
import Foundation

/// How much one read may allocate. A corrupt or hostile header can declare a dataset or an
/// attribute far larger than its file holds (HDF5 reads what was never written as the fill
/// value), and allocating an array for it would end the process instead of throwing. A read is
/// refused with `.invalidRequest` when its data could not have come from the file's storage, or
/// when it needs more than half of this machine's memory. The storage an object claims is itself
/// read from its header (a contiguous layout's size), so it counts only up to the file's size.
enum HDF5ReadLimit {
    /// Half the physical memory: no single read may take more.
    static let memoryBytes = Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
    /// The most one stored byte can expand to: deflate's ratio is at most 1,032 : 1.
    static let expansion = 1_100
    /// Data up to this size needs no storage behind it (fill values of small unwritten datasets).
    static let unbacked = 1 << 20

    /// Checks a read of `count` elements of `storedSize` bytes in the file and `memorySize` bytes
    /// in memory, from an object of `total` elements with `storageBytes` bytes of storage in the
    /// file (`H5Dget_storage_size`, `H5Aget_storage_size`), in a file of `fileBytes` bytes (nil
    /// when unknown: a file being written). Returns the bytes to allocate.
    @discardableResult
    static func check(count: Int, total: Int, storedSize: Int, memorySize: Int, storageBytes: hsize_t, fileBytes: hsize_t?,
                      file: String, object: String) throws -> Int {
        func refuse(_ reason: String) -> HDF5Error { .invalidRequest(file: file, object: object, reason: reason) }
        let (declared, declaredOverflow) = total.multipliedReportingOverflow(by: max(storedSize, 1))
        let (needed, neededOverflow) = count.multipliedReportingOverflow(by: max(memorySize, 1))
        guard !declaredOverflow, !neededOverflow else {
            throw refuse("\(total) elements of \(storedSize) bytes overflow a 64-bit byte count (corrupt header?)")
        }
        let storage = Int(clamping: min(storageBytes, fileBytes ?? .max))
        let (backed, backedOverflow) = storage.multipliedReportingOverflow(by: expansion)
        guard declared <= max(backedOverflow ? Int.max : backed, unbacked) else {
            throw refuse("declares \(total) elements (\(declared) bytes) but the file stores \(storage) bytes for it (corrupt header?)")
        }
        guard needed <= memoryBytes else {
            throw refuse("reading \(count) elements needs \(needed) bytes, more than half of this machine's memory")
        }
        return needed
    }
}
