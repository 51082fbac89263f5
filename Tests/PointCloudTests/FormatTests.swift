import Foundation
import Testing
import TestSupport
@testable import PointCloud

/// Round trips on tiny files and malformed inputs (Fixtures/make_format_fixtures.py).
@Suite(.temporaryDirectories) struct FormatTests {
    static let points: [SIMD3<Float>] = (0 ..< 5).map { i in SIMD3(0.5 * Float(i), -0.25 * Float(i), 1 + Float(i)) }
    static let normals: [SIMD3<Float>] = [SIMD3(0, 0, 1), SIMD3(0, 1, 0), SIMD3(1, 0, 0), SIMD3(0.6, 0.8, 0), SIMD3(0, 0.6, 0.8)]

    private func path(_ name: String) -> String { Fixture.path("formats/" + name) }

    @Test(arguments: ["cloud_ascii.ply", "cloud_le.ply", "cloud_be.ply", "cloud.xyz"])
    func readsCloudsWithNormals(name: String) throws {
        guard case let .cloud(cloud) = try ShapeFile.read(path(name)) else { Issue.record("\(name) read as a mesh"); return }
        #expect(cloud.positions == Self.points)
        #expect(cloud.normals == Self.normals)
    }

    @Test func readsPTSWithCountAndExtraColumns() throws {
        guard case let .cloud(cloud) = try ShapeFile.read(path("cloud.pts")) else { Issue.record("mesh"); return }
        #expect(cloud.positions == Self.points)
        #expect(cloud.normals == nil)
    }

    @Test(arguments: ["cube.off", "cube_counts_on_header.off", "cube.obj", "cube_ascii.stl", "cube_binary.stl", "cube_binary.ply"])
    func readsMeshesAndSamplesTheirSurface(name: String) throws {
        guard case let .mesh(mesh) = try ShapeFile.read(path(name)) else { Issue.record("\(name) read as a cloud"); return }
        #expect(mesh.triangles.count == 12)
        #expect(abs(mesh.surfaceArea - 6) < 1e-9)
        var generator = TestGenerator(seed: 1)
        let cloud = try mesh.sampleSurface(count: 3000, file: name, using: &generator)
        #expect(cloud.count == 3000)
        // Every point on the surface: one coordinate at ±0.5, all within the cube.
        let largest = cloud.positions.map { p in max(abs(p.x), abs(p.y), abs(p.z)) }
        expectClose(largest, repeatElement(0.5, count: largest.count), tolerance: 1e-6, "largest |coordinate| of each point")
        // Area-weighted: each of the six faces gets about a sixth.
        let onTop = cloud.positions.filter { abs($0.z - 0.5) < 1e-6 }.count
        #expect(abs(Double(onTop) / 3000 - 1.0 / 6) < 0.03)
        // Same seed, same points.
        var again = TestGenerator(seed: 1)
        #expect(try mesh.sampleSurface(count: 3000, file: name, using: &again) == cloud)
    }

    @Test func writesAndReadsBackEveryPointFormat() throws {
        let directory = try Fixture.scratchDirectory()
        let cloud = PointCloud(positions: Self.points, normals: Self.normals)
        for name in ["c.ply", "c.xyz", "c.pts", "c.obj", "c.h5"] {
            let file = directory + "/" + name
            try ShapeFile.write(cloud, to: file)
            if name == "c.obj" {
                #expect(try OBJFile.read(file).vertices == Self.points)
                continue
            }
            guard case let .cloud(back) = try ShapeFile.read(file) else { Issue.record("\(name) read as a mesh"); continue }
            #expect(back.positions == Self.points, "\(name)")
            if name != "c.pts" { #expect(back.normals == Self.normals, "\(name)") }
        }
        for encoding in PLYFile.Encoding.allCases {
            try PLYFile.write(cloud, to: directory + "/e.ply", encoding: encoding)
            #expect(try PLYFile.read(directory + "/e.ply").cloud == cloud, "\(encoding)")
        }
        #expect(throws: PointCloudError.unsupportedFormat(file: directory + "/c.off",
                                                           reason: "off holds meshes; point clouds are written as ply, xyz, pts, obj or h5")) {
            try ShapeFile.write(cloud, to: directory + "/c.off")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).allSatisfy { !$0.hasPrefix(".") })
    }

    /// Reads fixture `name`, expecting a `PointCloudError` that names the file and passes `check`.
    private func expectError(_ name: String, _ check: (PointCloudError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ShapeFile.read(path(name))
            Issue.record("\(name) was read without error", sourceLocation: sourceLocation)
        } catch let error as PointCloudError {
            #expect(check(error), "\(name): \(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(name), "\(error) does not name the file", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(name): untyped error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func faceIndicesThatAreNoIndexAndListCoordinatesAreMalformed() {
        expectError("face_index_huge.ply") { if case let .malformed(_, element, reason) = $0 { return element == "face 0" && reason.contains("1e+20") }; return false }
        expectError("face_index_nan.ply") { if case let .malformed(_, element, reason) = $0 { return element == "face 0" && reason.contains("nan") }; return false }
        expectError("list_x.ply") { if case let .malformed(_, element, reason) = $0 { return element == "header" && reason.contains("'x' is a list") }; return false }
    }

    @Test func headersPromisingAbsurdCountsAreTruncatedNotAllocated() {
        expectError("huge_count.ply") { if case let .truncated(_, element, reason) = $0 { return element == "vertex 5" && reason.contains("1000000000000") }; return false }
        expectError("huge_count_le.ply") { if case let .truncated(_, element, _) = $0 { return element == "vertex 5" }; return false }
        // The face line "3 0 1 2" reads as a fourth vertex; the file ends before the fifth.
        expectError("huge_vertex_count.off") { if case let .truncated(_, element, _) = $0 { return element == "vertex 4" }; return false }
        expectError("huge_face_count.off") { if case let .truncated(_, element, _) = $0 { return element == "face 1" }; return false }
        expectError("huge_count.stl") { if case let .truncated(_, element, reason) = $0 { return element == "triangle 12" && reason.contains("4000000000") }; return false }
    }

    @Test func malformedFilesGiveTypedErrorsNamingTheElement() throws {
        expectError("lying_more.ply") { if case let .truncated(_, element, _) = $0 { return element == "vertex 5" }; return false }
        expectError("lying_fewer.ply") { if case let .malformed(_, element, reason) = $0 { return element.hasPrefix("line") && reason.contains("vertex 2") }; return false }
        expectError("cloud_truncated.ply") { if case let .truncated(_, element, _) = $0 { return element == "vertex 4" }; return false }
        expectError("cube_truncated.stl") { if case let .truncated(_, element, _) = $0 { return element == "triangle 11" }; return false }
        expectError("nan.ply") { $0 == .nonFinite(file: path("nan.ply"), element: "vertex 1") }
        expectError("inf.xyz") { if case let .nonFinite(_, element) = $0 { return element.hasPrefix("point 1") }; return false }
        expectError("short_line.xyz") { if case let .malformed(_, element, _) = $0 { return element.hasPrefix("point 1") }; return false }
        expectError("pts_count_lies.pts") { if case .truncated = $0 { return true }; return false }
        expectError("bad_index.off") { if case let .malformed(_, element, _) = $0 { return element.hasPrefix("face 0") }; return false }
        expectError("extra_faces.off") { if case let .malformed(_, element, _) = $0 { return element.hasPrefix("line 7") }; return false }
        expectError("truncated_faces.off") { if case let .truncated(_, element, _) = $0 { return element == "face 1" }; return false }
        expectError("empty.off") { if case .empty = $0 { return true }; return false }
        // A zero-area mesh reads, but cannot be sampled; an OFF file without faces is a point set.
        var generator = TestGenerator(seed: 2)
        #expect(throws: PointCloudError.empty(file: "flat.off", reason: "the mesh's surface area is zero")) {
            try ShapeFile.read(path("flat.off")).pointCloud(count: 10, file: "flat.off", using: &generator)
        }
        guard case let .cloud(points) = try ShapeFile.read(path("points_only.off")) else { Issue.record("points_only.off: mesh"); return }
        #expect(points.count == 3)
        #expect(throws: PointCloudError.unsupportedFormat(file: "x.abc", reason: "unknown extension (expected ply, xyz, pts, off, obj, stl, hdf5)")) {
            try ShapeFile.read("x.abc")
        }
    }
}
