import Synchronization

/// Time and floating-point operations spent in matrix products (`gemm`)
/// inside `record`, summed over every thread that ran them.
///
///     let profile = GEMMProfile()
///     profile.record { _ = GradientStep.accumulate(…) }
///     profile.gigaflopsPerSecond
///
/// Counters sit behind a lock: for benchmarks, not for production runs.
public final class GEMMProfile: Sendable {
    private struct Totals { var calls = 0, flops = 0, nanoseconds: UInt64 = 0 }
    private let totals = Mutex(Totals())

    public init() {}

    /// The profile of the `record` the current thread runs in (a task-local
    /// binding: `Workers` binds it again on each worker it starts).
    @TaskLocal static var current: GEMMProfile?

    /// Runs `body` with every product it makes, on this thread and on the
    /// workers Diffusion starts from it, timed and counted into this profile.
    public func record<R>(_ body: () throws -> R) rethrows -> R {
        try GEMMProfile.$current.withValue(self, operation: body)
    }

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
