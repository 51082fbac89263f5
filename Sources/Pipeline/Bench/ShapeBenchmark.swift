import Diffusion
import Foundation
import PointCloud

/// Timings of the shape metrics on random clouds (standard normal coordinates, as the NumPy/SciPy
/// peer /work/shared/bench/peers/chamfer_emd.py draws them): Chamfer and EMD per pair on one
/// thread, and the full MMD/COV/1-NNA set on every worker.
struct ShapeBenchmark {
    var points = 2048
    var pairs = 100
    var reps = 20
    var emdReps = 5
    var emdTolerance = 1e-3       // relative
    var setClouds = 100
    var setPoints = 2048
    var setEMD = true
    var threads = 2
    var seed: UInt64 = 0

    struct Report: Codable {
        var n: Int, pairs: Int, threads: Int
        var chamfer_one_pair_ms: Double
        var chamfer_one_pair_cpu_ms: Double
        var chamfer_batch_ms: Double
        var emd_one_pair_ms: Double
        var emd_one_pair_cpu_ms: Double
        var emd_relative_tolerance: Double
        var emd_value: Double, emd_lower_bound: Double, emd_bound: Double
        var emd_exact_512_ms: Double
        var chamfer_value: Double
        var set_clouds: Int, set_points: Int, set_threads: Int
        var set_chamfer_s: Double
        var set_emd_s: Double?
        var set_metrics: ShapeSetMetrics
    }

    static func gaussianCloud(_ n: Int, using generator: inout some RandomNumberGenerator) -> PackedPoints {
        PackedPoints(gaussianPoints(n, using: &generator))
    }

    static func gaussianPoints(_ n: Int, using generator: inout some RandomNumberGenerator) -> [SIMD3<Float>] {
        func normal() -> Float {
            let u = Double.random(in: Double.leastNonzeroMagnitude ..< 1, using: &generator), v = Double.random(in: 0 ..< 1, using: &generator)
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
        return (0 ..< n).map { _ in SIMD3(normal(), normal(), normal()) }
    }

    /// CPU time of the calling thread, in milliseconds (undisturbed by other processes' load).
    static func threadCPUMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e3 + Double(time.tv_nsec) / 1e6
    }

    static func cpuMilliseconds(_ body: () -> Void) -> Double {
        let start = threadCPUMilliseconds()
        body()
        return threadCPUMilliseconds() - start
    }

    static func milliseconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    func run(log: (String) -> Void) -> Report {
        var generator = Xoshiro256StarStar(seed: seed)
        // Timed from PointCloud values, so the conversion to the kernels' layout is included
        // (as the peer's cKDTree timing includes building its trees).
        let a = (0 ..< pairs).map { _ in PointCloud(positions: Self.gaussianPoints(points, using: &generator)) }
        let b = (0 ..< pairs).map { _ in PointCloud(positions: Self.gaussianPoints(points, using: &generator)) }
        var sink = 0.0
        // Chamfer, one pair, one thread: median of `reps` after a warm-up.
        sink += a[0].chamferDistance(to: b[0])
        let chamferOne = Self.median((0 ..< reps).map { _ in Self.milliseconds { sink += a[0].chamferDistance(to: b[0]) } })
        let chamferOneCPU = Self.median((0 ..< reps).map { _ in Self.cpuMilliseconds { sink += a[0].chamferDistance(to: b[0]) } })
        let chamferBatch = Self.median((0 ..< 3).map { _ in Self.milliseconds { for i in 0 ..< pairs { sink += a[i].chamferDistance(to: b[i]) } } })
        log("chamfer: \(String(format: "%.3f", chamferOne)) ms a pair (CPU \(String(format: "%.3f", chamferOneCPU)) ms), \(String(format: "%.1f", chamferBatch)) ms for \(pairs) pairs")
        // EMD, one pair, one thread.
        let solver = EarthMoversDistance.Solver.automatic(exactLimit: 0, relativeTolerance: emdTolerance)
        let (pa, pb) = (PackedPoints(a[0]), PackedPoints(b[0]))
        var emd = EarthMoversDistance.compute(pa, pb, solver: solver)
        let emdOne = Self.median((0 ..< emdReps).map { _ in
            Self.milliseconds { emd = EarthMoversDistance.compute(PackedPoints(a[0]), PackedPoints(b[0]), solver: solver) }
        })
        let emdOneCPU = Self.median((0 ..< emdReps).map { _ in
            Self.cpuMilliseconds { emd = EarthMoversDistance.compute(PackedPoints(a[0]), PackedPoints(b[0]), solver: solver) }
        })
        log("emd: \(String(format: "%.1f", emdOne)) ms a pair (CPU \(String(format: "%.1f", emdOneCPU)) ms; value \(String(format: "%.6f", emd.value)), certified within \(String(format: "%.2e", emd.value - emd.lowerBound)))")
        var small = generator
        let s1 = Self.gaussianCloud(512, using: &small), s2 = Self.gaussianCloud(512, using: &small)
        let exact512 = Self.milliseconds { sink += EarthMoversDistance.compute(s1, s2, solver: .exact).value }
        // The full set metrics on every worker.
        let clouds = (0 ..< 2 * setClouds).map { _ in PointCloud(positions: Self.gaussianPoints(setPoints, using: &generator)) }
        let generated = Array(clouds[..<setClouds]), reference = Array(clouds[setClouds...])
        var metrics = ShapeSetMetrics(mmdCD: 0, covCD: 0, nnaCD: 0, countGenerated: 0, countReference: 0)
        let chamferSet = Self.milliseconds {
            metrics = ShapeSetMetrics.evaluate(generated: generated, reference: reference, includeEMD: false, threads: threads)
        } / 1000
        log("set: Chamfer MMD/COV/1-NNA of \(setClouds) × \(setClouds) clouds of \(setPoints) points: \(String(format: "%.1f", chamferSet)) s on \(threads) workers")
        var emdSet: Double?
        if setEMD {
            emdSet = Self.milliseconds {
                metrics = ShapeSetMetrics.evaluate(generated: generated, reference: reference, includeEMD: true,
                                                   emdSolver: solver, threads: threads)
            } / 1000 - chamferSet
            log("set: + EMD MMD/COV/1-NNA: \(String(format: "%.1f", emdSet ?? 0)) s more")
        }
        if sink.isNaN { log("(nan)") }
        return Report(n: points, pairs: pairs, threads: 1, chamfer_one_pair_ms: chamferOne, chamfer_one_pair_cpu_ms: chamferOneCPU,
                      chamfer_batch_ms: chamferBatch, emd_one_pair_ms: emdOne, emd_one_pair_cpu_ms: emdOneCPU, emd_relative_tolerance: emdTolerance, emd_value: emd.value,
                      emd_lower_bound: emd.lowerBound, emd_bound: emd.tolerance, emd_exact_512_ms: exact512,
                      chamfer_value: a[0].chamferDistance(to: b[0]), set_clouds: setClouds, set_points: setPoints,
                      set_threads: threads, set_chamfer_s: chamferSet, set_emd_s: emdSet, set_metrics: metrics)
    }
}

extension ShapeBenchmark.Report: BenchmarkReport {
    var lines: [String] {
        [String(format: "chamfer %.3f ms/pair, emd %.1f ms/pair, set (%d×%d, %d points, %d workers): CD %.1f s, EMD %@ s",
                chamfer_one_pair_ms, emd_one_pair_ms, set_clouds, set_clouds, set_points, set_threads,
                set_chamfer_s, set_emd_s.map { String(format: "%.1f", $0) } ?? "skipped")]
    }

    func json() throws -> String { try BenchmarkJSON.encode(self, snakeCase: false) }
}
