import CBLAS
import Dispatch
import Synchronization

/// OpenBLAS, which every matrix product goes through (`MutableMatrixView.gemm`):
/// its kernel family, its thread count, and this machine's sgemm rate.
public enum BLAS {
    /// The kernel family OpenBLAS dispatched to on this machine ("Haswell",
    /// "SkylakeX", "Cooperlake", …): its choice, or OPENBLAS_CORETYPE's from the
    /// environment, which fixes the matrix-product speed.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Runs OpenBLAS on the calling thread only: rgdm parallelises over graphs
    /// itself and gives every worker one BLAS thread. (OpenBLAS's own
    /// process-wide setting; rgdm never asks for more than one thread.)
    static func useSingleThread() {
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
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
            a.withMatrix(rows: m, columns: k) { a in
                b.withMatrix(rows: k, columns: n) { b in
                    c.withMutableMatrix(rows: m, columns: n) { c in
                        for _ in 0 ..< repeats {
                            let start = DispatchTime.now().uptimeNanoseconds
                            c.gemm(a, b, beta: 0)
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
