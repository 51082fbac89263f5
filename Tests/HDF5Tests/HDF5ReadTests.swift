import Foundation
import Testing
import TestSupport
@testable import HDF5

/// Files written by h5py read back with the numbers h5py reads (Fixtures/make_hdf5_fixtures.py).
@Suite(.temporaryDirectories) struct HDF5ReadTests {
    static let layoutFiles = ["contiguous", "chunked", "gzip"].flatMap { layout in
        ["f32_le", "f32_be", "f64_le", "f64_be"].map { "\(layout)_\($0).h5" }
    }

    private func expected(_ file: String, _ dataset: String) throws -> [String: Any] {
        let all = try Fixture.json("hdf5/expected.json")
        let entry = try #require(all[file] as? [String: Any])
        let datasets = try #require(entry["datasets"] as? [String: Any])
        return try #require(datasets[dataset] as? [String: Any], "no \(dataset) in expected.json for \(file)")
    }

    @Test(arguments: layoutFiles)
    func readsEveryLayoutAsH5pyDoes(fileName: String) throws {
        let file = try HDF5File(readingFrom: Fixture.path("hdf5/" + fileName))
        let reference = try expected(fileName, "/points")
        let values = try #require(exactDoubles(reference["values"]))
        let dataset = try file.dataset("points")
        let info = try dataset.info()
        #expect(info.shape == [5, 7, 3])
        #expect(info.elementType == (fileName.contains("f32") ? .float32 : .float64))
        #expect(info.byteOrder == (fileName.contains("_be") ? .bigEndian : .littleEndian))
        #expect(info.layout == (fileName.hasPrefix("contiguous") ? .contiguous : .chunked))
        #expect(info.isCompressed == fileName.hasPrefix("gzip"))
        if fileName.hasPrefix("contiguous") { #expect(info.chunkShape == nil) } else { #expect(info.chunkShape == [2, 7, 3]) }

        let asDouble = try dataset.read(Double.self, rank: 3)
        #expect(asDouble.shape == [5, 7, 3])
        expectClose(asDouble.values, values, tolerance: 0)   // exact: float32 widens exactly
        let asFloat = try dataset.read(Float.self)
        expectClose(asFloat.values, values.map { Float($0) }, tolerance: 0)
        #expect(try dataset.stringAttribute("layout") == String(fileName.split(separator: "_")[0]))

        // One sample by hyperslab: rows 3..<4 are values[63..<84].
        let row = try dataset.readRows(3 ..< 4, as: Double.self)
        #expect(row.shape == [1, 7, 3])
        #expect(row.values == Array(values[63 ..< 84]))
    }

    @Test func readsEveryElementType() throws {
        let file = try HDF5File(readingFrom: Fixture.path("hdf5/types.h5"))
        for name in ["int8", "uint8", "int32_be", "int64", "nested/group/values"] {
            let values = try #require(exactDoubles(try expected("types.h5", "/" + name)["values"]))
            #expect(try file.dataset(name).read(Int.self).values == values.map { Int($0) }, "\(name)")
            #expect(try file.dataset(name).read(Double.self).values == values, "\(name)")
        }
        #expect(try file.dataset("int8").elementType() == .int8)
        #expect(try file.dataset("uint8").elementType() == .uint8)
        #expect(try file.dataset("int32_be").info().byteOrder == .bigEndian)
        #expect(try file.dataset("int64").read(Int64.self).values == [-(1 << 40), 0, (1 << 40) + 3])
        #expect(try file.dataset("int32_be").readRows(1 ..< 2, as: Int32.self).values == [70000, -80000])
        let scalar = try file.dataset("float64_scalar").read(Double.self)
        #expect(scalar.shape == [] && scalar.values == [2.5])

        #expect(try file.dataset("vlen_strings").elementType() == .string(fixedLength: nil))
        #expect(try file.dataset("vlen_strings").readStrings() == ["CCO", "c1ccccc1", "", "ÅÄ"])
        #expect(try file.dataset("fixed_strings").elementType() == .string(fixedLength: 5))
        #expect(try file.dataset("fixed_strings").readStrings() == ["ab", "cde", ""])

        #expect(try file.root.stringAttribute("title") == "types fixture")
        #expect(try file.root.intAttribute("count") == 42)
        #expect(try file.root.doubleAttribute("scale") == 0.125)
        #expect(try file.root.attribute("names") == .strings(["alpha", "beta"]))
        #expect(try file.root.attribute("ints") == .ints([1, 2, 3]))
        #expect(try file.root.attributeNames() == ["count", "ints", "names", "scale", "title"])
        #expect(try file.root.memberNames() == ["fixed_strings", "float64_scalar", "int32_be", "int64", "int8",
                                                 "nested", "uint8", "vlen_strings", "wrong_rank"])
        #expect(try file.root.groupNames() == ["nested"])
        #expect(try file.group("nested").group("group").datasetNames() == ["values"])
    }

    @Test func malformedRequestsThrowTypedErrors() throws {
        let path = Fixture.path("hdf5/types.h5")
        let file = try HDF5File(readingFrom: path)
        #expect(throws: HDF5Error.wrongRank(file: path, dataset: "/wrong_rank", expected: 3, shape: [4, 3])) {
            try file.dataset("wrong_rank").read(Float.self, rank: 3)
        }
        #expect(throws: HDF5Error.missing(file: path, object: "/nope", kind: "dataset")) { try file.dataset("nope") }
        #expect(throws: HDF5Error.missing(file: path, object: "/int8", kind: "group")) { try file.group("int8") }
        #expect(throws: HDF5Error.wrongType(file: path, object: "/vlen_strings", expected: "numbers (read as float32)",
                                            actual: "variable-length string")) {
            try file.dataset("vlen_strings").read(Float.self)
        }
        #expect(throws: HDF5Error.wrongType(file: path, object: "/int8", expected: "strings", actual: "int8")) {
            try file.dataset("int8").readStrings()
        }
        #expect(throws: HDF5Error.invalidRequest(file: path, object: "/int8", reason: "rows 3..<9 outside shape [5]")) {
            try file.dataset("int8").readRows(3 ..< 9, as: Int.self)
        }
        #expect(throws: HDF5Error.missing(file: path, object: "/@absent", kind: "attribute")) { try file.root.attribute("absent") }
        #expect(throws: HDF5Error.cannotWrite(file: path, reason: "file was opened read-only")) { try file.root.createGroup("x") }
        #expect(throws: HDF5Error.cannotOpen(file: "/nonexistent.h5", reason: "no such file")) {
            try HDF5File(readingFrom: "/nonexistent.h5")
        }
        let notHDF5 = Fixture.path("hdf5/expected.json")
        #expect(throws: HDF5Error.cannotOpen(file: notHDF5, reason: "not an HDF5 file")) { try HDF5File(readingFrom: notHDF5) }
        // A truncated HDF5 file.
        let directory = try Fixture.scratchDirectory()
        let truncated = directory + "/truncated.h5"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("hdf5/contiguous_f64_le.h5")))
        try bytes.prefix(3000).write(to: URL(fileURLWithPath: truncated))
        #expect(throws: HDF5Error.cannotOpen(file: truncated, reason: "H5Fopen failed (truncated or unreadable file?)")) {
            let file = try HDF5File(readingFrom: truncated)
            _ = try file.dataset("points").read(Double.self)
        }
    }

    @Test func concurrentReadersAreSerialisedSafely() throws {
        let file = try HDF5File(readingFrom: Fixture.path("hdf5/gzip_f32_le.h5"))
        let whole = try file.dataset("points").read(Float.self).values
        let results = ConcurrentResults(count: 40)
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            let row = index % 5
            let values = (try? file.dataset("points").readRows(row ..< row + 1, as: Float.self).values) ?? []
            results.set(index, values == Array(whole[(row * 21) ..< (row * 21 + 21)]))
        }
        #expect(results.all)
    }
}

/// A thread-safe array of booleans for concurrent tests.
final class ConcurrentResults: @unchecked Sendable {
    private var values: [Bool]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: false, count: count) }
    func set(_ index: Int, _ value: Bool) { lock.lock(); values[index] = value; lock.unlock() }
    var all: Bool { lock.lock(); defer { lock.unlock() }; return values.allSatisfy { $0 } }
}
