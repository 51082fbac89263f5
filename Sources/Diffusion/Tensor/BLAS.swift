import CBLAS

/// Row-major matrix products through OpenBLAS's `cblas_sgemm`.
///
/// Every matrix is row-major with an explicit leading dimension, so a block of
/// columns (`W[:, 0..<F]`) or of rows (`W[H..<2H, :]`) is a pointer offset.
enum BLAS {
    /// C[m, n] = alpha · op(A)[m, k] · op(B)[k, n] + beta · C.
    /// `op(A)` is A `[m, k]` (lda ≥ k), or Aᵀ when `transposeA` (A stored `[k, m]`, lda ≥ m).
    @inline(__always)
    static func gemm(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float = 1, beta: Float
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { for r in 0 ..< m { (c + r * ldc).zero(n) } }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Runs OpenBLAS on the calling thread only: rgdm parallelises over graphs
    /// itself and gives every worker one BLAS thread.
    static func useSingleThread() {
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
    }
}
