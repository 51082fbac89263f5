import Foundation
import HDF5
import Testing
import TestSupport
@testable import PointCloud

/// Inputs the fuzzers (scripts/fuzz.sh) found crashing a reader, kept in Fixtures/fuzz: each must
/// now end in a typed error naming the file and the object.
@Suite struct FuzzRegressionTests {
    /// A header mutated to declare a dataset of 2,147,483,654 × 32 × 3 floats (`/normal`,
    /// ModelNet40) or 4 × 17,179,869,192 × 3 (`/points`, rgdm layout) over a few hundred stored
    /// bytes: the reader allocated the declared size and the process died ("failed to allocate
    /// 824633723168 bytes"). And 1,023,410,182 × 1 labels (`/label`) whose contiguous layout
    /// claims 2^64 − 250 bytes of storage in a file of 6,719: the storage seemed to back the
    /// declared size, and the reader allocated and zeroed 8 GB for the labels as Int
    /// ("out-of-memory", libFuzzer's 3 GB limit).
    @Test(arguments: [("modelnet40-huge-declared-shape.h5", "/normal"), ("rgdm-clouds-huge-declared-shape.h5", "/points"),
                      ("modelnet40-label-storage-past-end-of-file.h5", "/label")])
    func aDatasetDeclaringMoreThanItsFileStoresIsRefused(name: String, dataset: String) throws {
        let path = Fixture.path("fuzz/" + name)
        do {
            _ = try PointCloudHDF5.read(path)
            Issue.record("\(name) read without an error")
        } catch let PointCloudError.hdf5(.invalidRequest(file, object, reason)) {
            #expect(file == path && object == dataset)
            #expect(reason.contains("but the file stores"), "\(reason)")
        }
    }

    /// A `/data` of shape [0, 3,458,764,513,820,540,960, 3]: no clouds, so nothing to read, but
    /// the stride of one cloud (points × 3) overflowed and trapped.
    @Test func cloudsOfMorePointsThanACountHoldsAreMalformed() throws {
        let path = Fixture.path("fuzz/modelnet40-no-clouds-of-2e18-points.h5")
        #expect(throws: PointCloudError.malformed(file: path, element: "/data",
                                                  reason: "shape [0, 3458764513820540960, 3]: more coordinates per cloud than a count holds")) {
            try PointCloudHDF5.read(path)
        }
    }

    /// A PLY header declaring the vertex element twice, the second time without the properties
    /// the first had: the reader looked properties up by element name and indexed the second
    /// element's values with the first one's positions ("Index out of range").
    @Test func aPLYElementDeclaredTwiceIsMalformed() throws {
        let path = Fixture.path("fuzz/ply-vertex-element-twice.ply")
        #expect(throws: PointCloudError.malformed(file: path, element: "header line 10", reason: "a second 'vertex' element")) {
            try PLYFile.read(path)
        }
    }
}
