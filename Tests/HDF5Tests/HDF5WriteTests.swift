import Foundation
import Testing
import TestSupport
@testable import HDF5

/// Files rgdm writes read back in rgdm and, when a python3 with h5py is present, in h5py.
@Suite(.temporaryDirectories) struct HDF5WriteTests {
    /// Writes one file with every element type, storage and attribute kind.
    private func writeSample(to path: String) throws {
        let file = try HDF5File(creating: path)
        let positions = (0 ..< 60).map { Float($0) * 0.25 - 3 }
        try file.root.createDataset("positions", values: positions, shape: [20, 3])
        try file.root.createDataset("chunked", values: positions.map(Double.init), shape: [4, 5, 3], storage: .chunked())
        try file.root.createDataset("gzip_be", values: positions, shape: [4, 5, 3],
                                    storage: .compressed(level: 6, chunkShape: [1, 5, 3]), byteOrder: .bigEndian)
        try file.root.createDataset("atomic_numbers", values: [UInt8](arrayLiteral: 1, 6, 8, 9), shape: [4])
        try file.root.createDataset("charges", values: [Int8](arrayLiteral: -1, 0, 1, 2), shape: [4])
        try file.root.createDataset("atom_offsets", values: [Int64](arrayLiteral: 0, 3, 4), shape: [3])
        try file.root.createDataset("int32", values: [Int32](arrayLiteral: -7, 7), shape: [2])
        try file.root.createDataset("smiles", strings: ["C", "CCO", "ÅÄ", ""])
        try file.root.createDataset("fixed", strings: ["ab", "xyz"], fixedLength: 4)
        try file.root.createDataset("splits/train", values: [0, 2], shape: [2])
        try file.root.createDataset("empty", values: [Float](), shape: [0, 3], storage: .compressed())
        let rows = try file.root.createDataset("rows", of: Double.self, shape: [3, 2], storage: .chunked(chunkShape: [1, 2]))
        try rows.writeRows(startingAt: 1, [5, 6, 7, 8])
        try file.root.setAttribute("title", .string("sample"))
        try file.root.setAttribute("count", .int(4))
        try file.root.setAttribute("scale", .double(0.5))
        try file.root.setAttribute("names", .strings(["a", "bc"]))
        try file.root.setAttribute("sizes", .ints([3, 1]))
        try file.root.setAttribute("weights", .doubles([0.25, 2]))
        try file.dataset("positions").setAttribute("unit", .string("angstrom"))
        try file.commit()
    }

    @Test func roundTripsEveryTypeAndStorage() throws {
        let path = try Fixture.scratchDirectory() + "/sample.h5"
        try writeSample(to: path)
        let file = try HDF5File(readingFrom: path)
        let positions = (0 ..< 60).map { Float($0) * 0.25 - 3 }
        #expect(try file.dataset("positions").read(Float.self, rank: 2).values == positions)
        #expect(try file.dataset("chunked").info().layout == .chunked)
        #expect(try file.dataset("chunked").read(Float.self).values == positions)
        let gzip = try file.dataset("gzip_be").info()
        #expect(gzip.isCompressed && gzip.byteOrder == .bigEndian && gzip.chunkShape == [1, 5, 3])
        #expect(try file.dataset("gzip_be").readRows(2 ..< 4, as: Float.self).values == Array(positions[30...]))
        #expect(try file.dataset("atomic_numbers").read(UInt8.self).values == [1, 6, 8, 9])
        #expect(try file.dataset("charges").read(Int.self).values == [-1, 0, 1, 2])
        #expect(try file.dataset("atom_offsets").elementType() == .int64)
        #expect(try file.dataset("int32").read(Double.self).values == [-7, 7])
        #expect(try file.dataset("smiles").readStrings() == ["C", "CCO", "ÅÄ", ""])
        #expect(try file.dataset("fixed").readStrings() == ["ab", "xyz"])
        #expect(try file.group("splits").dataset("train").read(Int.self).values == [0, 2])
        #expect(try file.dataset("empty").read(Float.self).shape == [0, 3])
        #expect(try file.dataset("rows").read(Double.self).values == [0, 0, 5, 6, 7, 8])
        #expect(try file.root.stringAttribute("title") == "sample")
        #expect(try file.root.intAttribute("count") == 4)
        #expect(try file.root.doubleAttribute("scale") == 0.5)
        #expect(try file.root.attribute("names") == .strings(["a", "bc"]))
        #expect(try file.root.attribute("sizes") == .ints([3, 1]))
        #expect(try file.root.attribute("weights") == .doubles([0.25, 2]))
        #expect(try file.dataset("positions").stringAttribute("unit") == "angstrom")
    }

    @Test func createIsAtomic() throws {
        let directory = try Fixture.scratchDirectory()
        let path = directory + "/atomic.h5"
        do {
            let file = try HDF5File(creating: path)
            try file.root.createDataset("x", values: [1.0, 2.0], shape: [2])
            #expect(!FileManager.default.fileExists(atPath: path))
            // Dropped without commit: nothing appears, the temporary is removed.
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)

        let file = try HDF5File(creating: path)
        try file.root.createDataset("x", values: [1.0, 2.0], shape: [2])
        try file.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["atomic.h5"])
        #expect(throws: HDF5Error.closed(file: path)) { try file.root.createDataset("y", values: [1.0], shape: [1]) }
        #expect(throws: HDF5Error.cannotWrite(file: directory + "/no/such/dir/x.h5",
                                              reason: "directory \(directory)/no/such/dir does not exist")) {
            try HDF5File(creating: directory + "/no/such/dir/x.h5")
        }
        let again = try HDF5File(creating: path)
        #expect(throws: HDF5Error.invalidRequest(file: path, object: "/bad", reason: "2 values do not fill shape [3]")) {
            try again.root.createDataset("bad", values: [1.0, 2.0], shape: [3])
        }
        #expect(throws: HDF5Error.invalidRequest(file: path, object: "/s", reason: "string 'toolong' is longer than the fixed width 3")) {
            try again.root.createDataset("s", strings: ["toolong"], fixedLength: 3)
        }
        try again.root.createDataset("dup", values: [1.0], shape: [1])
        #expect(throws: HDF5Error.invalidRequest(file: path, object: "/dup", reason: "already exists")) {
            try again.root.createDataset("dup", values: [1.0], shape: [1])
        }
    }

    @Test(.enabled(if: h5pyPython != nil, "needs a python3 with h5py (set RGDM_H5PY_PYTHON)"))
    func readsBackInH5py() throws {
        let python = try #require(h5pyPython)
        let path = try Fixture.scratchDirectory() + "/for_h5py.h5"
        try writeSample(to: path)
        let output = try runPython(python, [Fixture.path("dump_hdf5.py"), path])
        let dump = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        let datasets = try #require(dump["datasets"] as? [String: [String: Any]])
        let positions = (0 ..< 60).map { Double(Float($0) * 0.25 - 3) }
        #expect(exactDoubles(datasets["/positions"]?["values"]) == positions)
        #expect(datasets["/positions"]?["dtype"] as? String == "<f4")
        #expect(datasets["/gzip_be"]?["dtype"] as? String == ">f4")
        #expect(datasets["/gzip_be"]?["compression"] as? String == "gzip")
        #expect(exactDoubles(datasets["/gzip_be"]?["values"]) == positions)
        #expect(datasets["/chunked"]?["shape"] as? [Int] == [4, 5, 3])
        #expect(datasets["/atomic_numbers"]?["dtype"] as? String == "|u1")
        #expect(exactDoubles(datasets["/charges"]?["values"]) == [-1, 0, 1, 2])
        #expect(datasets["/atom_offsets"]?["dtype"] as? String == "<i8")
        #expect(datasets["/smiles"]?["strings"] as? [String] == ["C", "CCO", "ÅÄ", ""])
        #expect(datasets["/fixed"]?["strings"] as? [String] == ["ab", "xyz"])
        #expect(exactDoubles(datasets["/splits/train"]?["values"]) == [0, 2])
        #expect(exactDoubles(datasets["/rows"]?["values"]) == [0, 0, 5, 6, 7, 8])
        let attributes = try #require(dump["attributes"] as? [String: Any])
        #expect(attributes["title"] as? String == "sample")
        #expect(attributes["count"] as? Int == 4)
        #expect(attributes["scale"] as? Double == 0.5)
        #expect(attributes["names"] as? [String] == ["a", "bc"])
        #expect(attributes["sizes"] as? [Int] == [3, 1])
        #expect((datasets["/positions"]?["attributes"] as? [String: Any])?["unit"] as? String == "angstrom")
    }
}
