import Testing
@testable import PointCloud

@Suite struct PointCloudTests {
    private func randomCloud(_ n: Int, seed: UInt64) -> PointCloud {
        var generator = TestGenerator(seed: seed)
        return PointCloud(positions: (0 ..< n).map { _ in
            SIMD3(Float.random(in: -2 ... 5, using: &generator), Float.random(in: 1 ... 3, using: &generator), Float.random(in: -1 ... 0, using: &generator))
        })
    }

    @Test func shapeUnitMatchesTorchStd() {
        let cloud = randomCloud(500, seed: 1)
        let normalized = cloud.normalized(.shapeUnit)
        let c = normalized.centroid
        #expect(max(abs(c.x), abs(c.y), abs(c.z)) < 1e-5)
        // Unbiased std of the flattened raw coordinates (about their grand mean) becomes the unit.
        let flat = cloud.flatPositions.map(Double.init)
        let mean = flat.reduce(0, +) / Double(flat.count)
        let std = (flat.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(flat.count - 1)).squareRoot()
        #expect(abs(Double(cloud.normalization(.shapeUnit).scale) - std) < 1e-5 * std)
    }

    @Test func shapeBBoxFitsTheUnitCube() {
        let normalized = randomCloud(300, seed: 2).normalized(.shapeBBox)
        let box = normalized.boundingBox
        #expect(abs(max(box.max.max(), -box.min.min()) - 1) < 1e-6)
        #expect(abs((box.max + box.min).max()) < 1e-6 && abs((box.max + box.min).min()) < 1e-6)
    }

    @Test func unitSphereHasRadiusOne() {
        let normalized = randomCloud(300, seed: 3).normalized(.unitSphere)
        let radius = normalized.positions.map { ($0 * $0).sum().squareRoot() }.max() ?? 0
        #expect(abs(radius - 1) < 1e-5)
        #expect(PointCloud(positions: [SIMD3(1, 2, 3)]).normalized(.unitSphere).positions == [.zero])
    }

    @Test func farthestPointSamplingSpreadsPoints() {
        let cloud = randomCloud(2000, seed: 4)
        var generator = TestGenerator(seed: 9)
        let indices = cloud.farthestPointIndices(count: 64, using: &generator)
        #expect(Set(indices).count == 64)
        // The farthest-point subset covers the cloud better than a random subset of equal size.
        var again = TestGenerator(seed: 9)
        let fps = cloud.farthestPointSubset(count: 64, using: &again)
        let random = cloud.randomSubset(count: 64, using: &again)
        let coverage = { (subset: PointCloud) in ChamferDistance.directional(PackedPoints(cloud), PackedPoints(subset)).aToB }
        #expect(coverage(fps) < coverage(random))
        // Same seed, same result.
        var g1 = TestGenerator(seed: 5), g2 = TestGenerator(seed: 5)
        #expect(cloud.randomSubset(count: 10, using: &g1) == cloud.randomSubset(count: 10, using: &g2))
    }

    @Test func nonFinitePointsAreNamed() {
        var cloud = randomCloud(10, seed: 6)
        cloud.positions[7].y = .nan
        #expect(cloud.firstNonFiniteIndex == 7)
        #expect { try cloud.checkFinite(file: "x.ply") } throws: { error in
            guard case PointCloudError.nonFinite(let file, let element) = error else { return false }
            return file == "x.ply" && element.hasPrefix("point 7 ")
        }
    }
}
