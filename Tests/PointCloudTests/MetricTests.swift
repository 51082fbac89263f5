import Foundation
import HDF5
import Testing
import TestSupport
@testable import PointCloud

/// Chamfer, EMD and the set metrics against SciPy/NumPy (Fixtures/make_metric_fixtures.py).
@Suite struct MetricTests {
    let expected: [String: Any]
    let file: HDF5File

    init() throws {
        expected = try Fixture.json("metrics/expected.json")
        file = try HDF5File(readingFrom: Fixture.path("metrics/clouds.h5"))
    }

    private func clouds(_ dataset: String) throws -> [PointCloud] {
        let array = try file.dataset(dataset).read(Float.self, rank: 3)
        let stride = array.shape[1] * 3
        return (0 ..< array.shape[0]).map { PointCloud(flatPositions: Array(array.values[($0 * stride) ..< (($0 + 1) * stride)])) }
    }

    private func cloud(_ dataset: String) throws -> PointCloud {
        PointCloud(flatPositions: try file.dataset(dataset).read(Float.self, rank: 2).values)
    }

    @Test func chamferMatchesSciPy() throws {
        let a = try clouds("pairs/a"), b = try clouds("pairs/b")
        let reference = try #require(exactDoubles(expected["pair_chamfer"]))
        expectClose(zip(a, b).map { $0.chamferDistance(to: $1) }, reference, tolerance: 1e-5)
        let big = try cloud("big/a").chamferDistance(to: try cloud("big/b"))
        expectClose([big], [try #require(exactDouble(expected["big_chamfer"]))], tolerance: 1e-5)
        // Symmetric, zero on itself, and the brute-force definition on a small case.
        #expect(abs(a[0].chamferDistance(to: b[0]) - b[0].chamferDistance(to: a[0])) < 1e-12)
        #expect(a[1].chamferDistance(to: a[1]) == 0)
    }

    @Test func exactEMDMatchesLinearSumAssignment() throws {
        let a = try clouds("pairs/a"), b = try clouds("pairs/b")
        let reference = try #require(exactDoubles(expected["pair_emd"]))
        let values = zip(a, b).map { $0.earthMoversDistance(to: $1, solver: .exact) }
        expectClose(values, reference, tolerance: 1e-9)
        // The assignment is a permutation.
        let result = EarthMoversDistance.compute(PackedPoints(a[0]), PackedPoints(b[0]), solver: .exact)
        #expect(Set(result.assignment).count == a[0].count)
    }

    @Test(arguments: [1e-2, 1e-3])
    func auctionEMDStaysWithinItsBound(tolerance: Double) throws {
        let exact = try #require(exactDouble(expected["big_emd"]))
        let result = EarthMoversDistance.compute(PackedPoints(try cloud("big/a")), PackedPoints(try cloud("big/b")),
                                                 solver: .auction(tolerance: tolerance))
        let rounding = 1e-6 * exact   // Float costs
        #expect(result.value >= exact - rounding, "value \(result.value) below the exact \(exact)")
        #expect(result.value <= exact + result.tolerance + rounding, "value \(result.value) exceeds \(exact) + \(result.tolerance)")
        #expect(result.lowerBound <= exact + rounding, "lower bound \(result.lowerBound) above exact \(exact)")
        #expect(result.tolerance <= tolerance * 1.0001)
        #expect(Set(result.assignment).count == 2048)
    }

    @Test func auctionAgreesWithHungarianOnSmallClouds() throws {
        var generator = TestGenerator(seed: 3)
        for n in [2, 7, 64, 300] {
            let a = PointCloud(positions: (0 ..< n).map { _ in SIMD3(Float.random(in: -1 ... 1, using: &generator), Float.random(in: -1 ... 1, using: &generator), 0) })
            let b = PointCloud(positions: (0 ..< n).map { _ in SIMD3(Float.random(in: -1 ... 1, using: &generator), 0, Float.random(in: -1 ... 1, using: &generator)) })
            let exact = a.earthMoversDistance(to: b, solver: .exact)
            let approx = EarthMoversDistance.compute(PackedPoints(a), PackedPoints(b), solver: .auction(tolerance: 1e-4))
            #expect(approx.value >= exact - 1e-6 && approx.value <= exact + 1e-4 + 1e-6, "n \(n): \(approx.value) vs exact \(exact)")
        }
    }

    @Test func setMetricsMatchNumPy() throws {
        let generated = try clouds("sets/generated"), reference = try clouds("sets/reference")
        let metrics = ShapeSetMetrics.evaluate(generated: generated, reference: reference, emdSolver: .exact, threads: 2)
        func value(_ key: String) throws -> Double { try #require(exactDouble(expected[key]), "\(key)") }
        expectClose([metrics.mmdCD, metrics.covCD, metrics.nnaCD], [try value("mmd_cd"), try value("cov_cd"), try value("nna_cd")], tolerance: 1e-5)
        let emd = [metrics.mmdEMD, metrics.covEMD, metrics.nnaEMD].compactMap { $0 }
        expectClose(emd, [try value("mmd_emd"), try value("cov_emd"), try value("nna_emd")], tolerance: 1e-5)
        #expect(metrics.countGenerated == 7 && metrics.countReference == 6)
        // The pairwise matrix itself, entry by entry.
        let rs = DistanceMatrix.pairwise(reference.map(PackedPoints.init), generated.map(PackedPoints.init), distance: .chamfer)
        expectClose(rs.values, try #require(exactDoubles(expected["rs_cd"])), tolerance: 1e-5)
    }

    @Test func oneNNAIsNearHalfForTwoSamplesOfOneDistribution() {
        var generator = TestGenerator(seed: 11)
        func ellipsoids(_ count: Int, squash: Float) -> [PointCloud] {
            (0 ..< count).map { _ in
                let axes = SIMD3<Float>(Float.random(in: 0.4 ... 1, using: &generator), Float.random(in: 0.4 ... 1, using: &generator),
                                        squash * Float.random(in: 0.4 ... 1, using: &generator))
                return PointCloud(positions: (0 ..< 128).map { _ in
                    var v = SIMD3<Float>(Float.random(in: -1 ... 1, using: &generator), Float.random(in: -1 ... 1, using: &generator),
                                         Float.random(in: -1 ... 1, using: &generator))
                    v /= max(1e-6, (v * v).sum().squareRoot())
                    return v * axes
                })
            }
        }
        let a = ellipsoids(40, squash: 1), b = ellipsoids(40, squash: 1), flat = ellipsoids(40, squash: 0.1)
        let same = ShapeSetMetrics.evaluate(generated: a, reference: b, includeEMD: false)
        #expect(abs(same.nnaCD - 0.5) < 0.15, "1-NNA of two samples of one distribution: \(same.nnaCD)")
        let different = ShapeSetMetrics.evaluate(generated: flat, reference: b, includeEMD: false)
        #expect(different.nnaCD > 0.9, "1-NNA of different distributions: \(different.nnaCD)")
        #expect(different.mmdCD > same.mmdCD)
    }

    @Test func metricsJSONUsesTheDocumentedKeys() throws {
        let metrics = ShapeSetMetrics(mmdCD: 1, covCD: 0.5, nnaCD: 0.5, mmdEMD: nil, covEMD: nil, nnaEMD: nil,
                                      countGenerated: 3, countReference: 4)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(metrics)) as? [String: Any])
        #expect(Set(object.keys) == ["mmd_cd", "cov_cd", "nna_cd", "mmd_emd", "cov_emd", "nna_emd", "count_generated", "count_reference"])
        #expect(object["mmd_emd"] is NSNull)
    }
}
