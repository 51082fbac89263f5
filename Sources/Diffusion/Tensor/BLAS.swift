import CBLAS
import Dispatch
import Synchronization

/// Row-major matrix products through OpenBLAS's `cblas_sgemm`.
///
/// Every matrix is row-major with an explicit leading dimension, so a block of
/// columns (`W[:, 0..<F]`) or of rows (`W[H..<2H, :]`) is a pointer offset.
public enum BLAS {
    /// The kernel family OpenBLAS dispatched to on this machine ("Haswell",
    /// "SkylakeX", "Cooperlake", …): its choice, or OPENBLAS_CORETYPE's from the
    /// environment, which fixes the matrix-product speed.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

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

    /// When set, every product is timed and counted, on every worker thread
    /// (benchmarks only: the counters sit behind a lock).
    nonisolated(unsafe) public static var profile: GEMMProfile?

    /// Runs OpenBLAS on the calling thread only: rgdm parallelises over graphs
    /// itself and gives every worker one BLAS thread.
    static func useSingleThread() {
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
    }
}

/// Time and floating-point operations spent in `cblas_sgemm` while
/// `BLAS.profile` is set, summed over all threads that ran products.
public final class GEMMProfile: Sendable {
    private struct Totals { var calls = 0, flops = 0, nanoseconds: UInt64 = 0 }
    private let totals = Mutex(Totals())

    public init() {}

    func record(flops: Int, nanoseconds: UInt64) {
        totals.withLock {
            $0.calls += 1
            $0.flops += flops
            $0.nanoseconds += nanoseconds
        }
    }

    public var calls: Int { totals.withLock { $0.calls } }
    public var flops: Int { totals.withLock { $0.flops } }
    /// Thread-seconds inside products (two threads for one second count 2 s).
    public var seconds: Double { totals.withLock { Double($0.nanoseconds) * 1e-9 } }
    /// Achieved rate inside the products per thread, GFLOP/s.
    public var gigaflopsPerSecond: Double {
        let (f, s) = totals.withLock { ($0.flops, Double($0.nanoseconds) * 1e-9) }
        return s > 0 ? Double(f) / s * 1e-9 : 0
    }
}

extension BLAS {
    /// This machine's single-thread sgemm rate in GFLOP/s: the best of
    /// `repeats` products C[m, n] = A[m, k]·B[k, n]. With `concurrent` > 1,
    /// that many threads run such products at the same time (each with one
    /// BLAS thread, as rgdm's workers do) and the mean of their rates is
    /// returned: the per-core rate when every core is busy.
    public static func measureRate(m: Int, n: Int, k: Int, repeats: Int = 5, concurrent: Int = 1) -> Double {
        useSingleThread()
        let rates = Mutex([Double]())
        let work: (Int) -> Void = { _ in
            let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
            var c = [Float](repeating: 0, count: m * n)
            var best = Double.infinity
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        for _ in 0 ..< repeats {
                            let start = DispatchTime.now().uptimeNanoseconds
                            product(m, n, k, a.baseAddress!, k, false, b.baseAddress!, n, false, c.baseAddress!, n, 1, 0)
                            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                        }
                    }
                }
            }
            let rate = 2 * Double(m * n * k) / best * 1e-9
            rates.withLock { $0.append(rate) }
        }
        if concurrent <= 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: concurrent, execute: work) }
        let all = rates.withLock { $0 }
        return all.reduce(0, +) / Double(max(all.count, 1))
    }
}
