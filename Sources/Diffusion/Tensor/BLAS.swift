import CBLAS
import Dispatch

/// Row-major matrix products through OpenBLAS's `cblas_sgemm`.
///
/// Every matrix is row-major with an explicit leading dimension, so a block of
/// columns (`W[:, 0..<F]`) or of rows (`W[H..<2H, :]`) is a pointer offset.
public enum BLAS {
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
        guard let profile else {
            product(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, alpha, beta)
            return
        }
        let start = DispatchTime.now().uptimeNanoseconds
        product(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, alpha, beta)
        profile.record(flops: 2 * m * n * k, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
    }

    @inline(__always)
    private static func product(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ transposeA: Bool,
        _ b: UnsafePointer<Float>, _ ldb: Int, _ transposeB: Bool, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
        _ alpha: Float, _ beta: Float
    ) {
        if k == 0 {
            if beta == 0 { for r in 0 ..< m { (c + r * ldc).zero(n) } }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// When set, every product is timed and counted (benchmarks only; use
    /// with one worker thread: the counters are not synchronised).
    nonisolated(unsafe) public static var profile: GEMMProfile?

    /// Runs OpenBLAS on the calling thread only: rgdm parallelises over graphs
    /// itself and gives every worker one BLAS thread.
    static func useSingleThread() {
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
    }
}

/// Time and floating-point operations spent in `cblas_sgemm` while `BLAS.profile` is set.
public final class GEMMProfile {
    public private(set) var calls = 0
    public private(set) var flops = 0
    public private(set) var nanoseconds: UInt64 = 0

    public init() {}

    func record(flops: Int, nanoseconds: UInt64) {
        calls += 1
        self.flops += flops
        self.nanoseconds += nanoseconds
    }

    public var seconds: Double { Double(nanoseconds) * 1e-9 }
    /// Achieved rate inside the products, GFLOP/s.
    public var gigaflopsPerSecond: Double { seconds > 0 ? Double(flops) / seconds * 1e-9 : 0 }
}

extension BLAS {
    /// This machine's single-thread sgemm rate in GFLOP/s: the best of
    /// `repeats` products C[m, n] = A[m, k]·B[k, n].
    public static func measureRate(m: Int, n: Int, k: Int, repeats: Int = 5) -> Double {
        useSingleThread()
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        var best = Double.infinity
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for _ in 0 ..< repeats {
                        let start = DispatchTime.now().uptimeNanoseconds
                        gemm(m, n, k, a.baseAddress!, lda: k, b.baseAddress!, ldb: n, c.baseAddress!, ldc: n, beta: 0)
                        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                    }
                }
            }
        }
        return 2 * Double(m * n * k) / best * 1e-9
    }
}
