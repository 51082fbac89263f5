import Testing
import CHDF5

@Suite struct HDF5LinkTests {
    @Test func linksHDF5() {
        var major: UInt32 = 0, minor: UInt32 = 0, patch: UInt32 = 0
        #expect(H5get_libversion(&major, &minor, &patch) >= 0)
        #expect(major == 1)
    }
}
