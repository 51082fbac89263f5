import CBLAS
import Dispatch

extension MutableMatrixView {
    /// C = α·A·B + β·C through OpenBLAS's row-major `cblas_sgemm`, with C this
    /// view `[m, n]`, A `[m, k]` and B `[k, n]` as read (a `transposed` view
    /// is read as its transpose). With β = 0, C's old contents are never read.
    /// Inside `GEMMProfile.record`, the product is timed and counted.
    @inline(__always)
    func gemm(_ a: some MatrixOperand, _ b: some MatrixOperand, alpha: Float = 1, beta: Float) {
        let a = a.readOnly, b = b.readOnly
        let m = rows, n = columns, k = a.isTransposed ? a.rows : a.columns
        precondition((a.isTransposed ? a.columns : a.rows) == m && (b.isTransposed ? b.columns : b.rows) == k
                     && (b.isTransposed ? b.rows : b.columns) == n,
                     "gemm: C [\(m), \(n)] from A [\(a.rows), \(a.columns)]\(a.isTransposed ? "ᵀ" : "") · B [\(b.rows), \(b.columns)]\(b.isTransposed ? "ᵀ" : "")")
        if m == 0 || n == 0 { return }
        guard let profile = GEMMProfile.current else {
            Self.sgemm(m, n, k, a, b, start, stride, alpha, beta)
            return
        }
        let begin = DispatchTime.now().uptimeNanoseconds
        Self.sgemm(m, n, k, a, b, start, stride, alpha, beta)
        profile.record(flops: 2 * m * n * k, nanoseconds: DispatchTime.now().uptimeNanoseconds - begin)
    }

    @inline(__always)
    private static func sgemm(
        _ m: Int, _ n: Int, _ k: Int, _ a: MatrixView, _ b: MatrixView, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
        _ alpha: Float, _ beta: Float
    ) {
        if k == 0 {
            if beta == 0 { for r in 0 ..< m { (c + r * ldc).zero(n) } }
            return
        }
        cblas_sgemm(
            CblasRowMajor, a.isTransposed ? CblasTrans : CblasNoTrans, b.isTransposed ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a.start, Int32(a.stride), b.start, Int32(b.stride), beta, c, Int32(ldc))
    }
}
