import Testing
import CBLAS

@Suite struct BLASLinkTests {
    @Test func sgemmMultiplies() {
        // [1 2; 3 4] · [5; 6] = [17; 39]
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6]
        var c: [Float] = [0, 0]
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 1, 2, 1, a, 2, b, 1, 0, &c, 1)
        #expect(c == [17, 39])
    }
}
