import Foundation
import Testing
import TestSupport
@testable import HDF5

/// A dataset or attribute whose header declares more data than its file could hold is refused
/// before anything is allocated for it; small unwritten datasets still read as their fill value.
@Suite(.temporaryDirectories) struct HDF5ReadLimitTests {
    @Test func theLimitComparesTheDeclaredSizeWithTheStorageAndTheMemory() throws {
        func check(count: Int, total: Int, stored: Int = 4, memory: Int = 4, storage: UInt64, fileBytes: UInt64? = nil) throws {
            try HDF5ReadLimit.check(count: count, total: total, storedSize: stored, memorySize: memory, storageBytes: storage,
                                    fileBytes: fileBytes, file: "f.h5", object: "/x")
        }
        try check(count: 1000, total: 1000, storage: 4000)                        // contiguous, all stored
        try check(count: 1000_000, total: 1000_000, storage: 4000)               // deflate: 1,000 : 1
        try check(count: 200_000, total: 200_000, storage: 0)                    // 800 kB unwritten: fill values
        #expect(throws: HDF5Error.invalidRequest(file: "f.h5", object: "/x",
                                                 reason: "declares 10000000 elements (40000000 bytes) but the file stores 4000 bytes for it (corrupt header?)")) {
            try check(count: 10, total: 10_000_000, storage: 4000)
        }
        // Storage claimed past the end of the file counts up to the file's size only.
        try check(count: 1000, total: 1000, storage: 4000, fileBytes: 6000)
        #expect(throws: HDF5Error.invalidRequest(file: "f.h5", object: "/x",
                                                 reason: "declares 10000000 elements (40000000 bytes) but the file stores 6000 bytes for it (corrupt header?)")) {
            try check(count: 10, total: 10_000_000, storage: .max - 249, fileBytes: 6000)
        }
        #expect(throws: HDF5Error.self) { try check(count: .max / 2, total: .max / 2, storage: .max) }   // overflows
        let tooMuch = HDF5ReadLimit.memoryBytes / 4 + 1
        #expect(throws: HDF5Error.self) { try check(count: tooMuch, total: tooMuch, storage: .max) }
    }

    @Test func anUnwrittenDatasetReadsAsZerosWhenSmallAndIsRefusedWhenHuge() throws {
        let path = try TemporaryDirectory.create("limit").path + "/sparse.h5"
        let out = try HDF5File(creating: path)
        _ = try out.root.createDataset("small", of: Float.self, shape: [1000, 3], storage: .chunked(chunkShape: [100, 3]))
        _ = try out.root.createDataset("huge", of: Float.self, shape: [100_000_000, 3], storage: .chunked(chunkShape: [1000, 3]))
        try out.commit()
        let file = try HDF5File(readingFrom: path)
        #expect(try file.dataset("small").read(Float.self).values == [Float](repeating: 0, count: 3000))
        #expect(throws: HDF5Error.invalidRequest(
            file: path, object: "/huge", reason: "declares 300000000 elements (1200000000 bytes) but the file stores 0 bytes for it (corrupt header?)")) {
            try file.dataset("huge").read(Float.self)
        }
        // A hyperslab of a plausible size from an implausible dataset is refused too.
        #expect(throws: HDF5Error.self) { try file.dataset("huge").readRows(0 ..< 2, as: Float.self) }
    }
}
