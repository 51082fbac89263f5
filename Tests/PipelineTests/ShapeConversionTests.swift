import Foundation
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// `ShapeConversion`'s routing by extension, and its conversions on tiny files.
@Suite(.temporaryDirectories) struct ShapeConversionTests {
    @Test(arguments: [("cube.off", "cube.ply", ShapeConversion.Route.fileToFile(.ply)),
                      ("cloud.ply", "cloud.XYZ", .fileToFile(.xyz)),
                      ("cloud.xyz", "cloud.pts", .fileToFile(.pts)),
                      ("cloud.pts", "cloud.obj", .fileToFile(.obj)),
                      ("mesh.stl", "cloud.h5", .fileToFile(.hdf5)),
                      ("mesh.obj", "cloud.ply", .fileToFile(.ply)),
                      ("set.h5", "copy.hdf5", .setToSet),
                      ("set.HDF5", "clouds/", .setToFolder(.ply))])
    func routesEverySupportedPair(_ input: String, _ output: String, _ route: ShapeConversion.Route) throws {
        #expect(try ShapeConversion().route(from: input, to: output) == route)
    }

    @Test func theFormatOptionPicksTheFormatOfFoldersAndOfUnknownExtensions() throws {
        #expect(try ShapeConversion(format: .xyz).route(from: "set.h5", to: "clouds/") == .setToFolder(.xyz))
        #expect(try ShapeConversion(format: .pts).route(from: "cube.off", to: "cube.txt") == .fileToFile(.pts))
        // The extension wins over --format for a single file.
        #expect(try ShapeConversion(format: .pts).route(from: "cube.off", to: "cube.ply") == .fileToFile(.ply))
        let folder = try TemporaryDirectory.create("convert-route")
        #expect(try ShapeConversion().route(from: "set.h5", to: folder.path) == .setToFolder(.ply), "an existing folder without /")
    }

    @Test func refusesUnsupportedPairsWithTheirReason() {
        func failure(_ input: String, _ output: String, format: ShapeFileFormat? = nil) -> PipelineError? {
            #expect(throws: PipelineError.self) { try ShapeConversion(format: format).route(from: input, to: output) }
        }
        #expect(failure("set.h5", "set.ply") == .unsupportedOutput(
            path: "set.ply", reason: "an HDF5 set converts to an .h5 file or to a folder (give OUTPUT/ and --format)"))
        #expect(failure("cube.off", "cube.txt") == .unsupportedOutput(path: "cube.txt", reason: "unknown output extension"))
        #expect(failure("cube.ply", "cube.off") == .unsupportedOutput(
            path: "cube.off", reason: "off holds meshes; point clouds are written as ply, xyz, pts, obj or h5"))
        #expect(failure("set.h5", "clouds/", format: .stl) == .unsupportedOutput(
            path: "clouds/", reason: "stl holds meshes; point clouds are written as ply, xyz, pts, obj or h5"))
        #expect(failure("cube.ply", "clouds/") == .unsupportedOutput(
            path: "clouds/", reason: "one shape converts to one file; a folder takes an HDF5 set"))
        #expect(failure("notes.txt", "cube.ply") == .invalidDataset(path: "notes.txt", reason: "unknown input extension"))
    }

    @Test func convertsAMeshAndASet() throws {
        let dir = try TemporaryDirectory.create("convert")
        let cube = dir.appendingPathComponent("cube.off").path
        try ShapesCommandTests.cubeOFF.write(toFile: cube, atomically: true, encoding: .utf8)
        let sampled = try ShapeConversion(points: 50, seed: 1).run(from: cube, to: dir.appendingPathComponent("cube.xyz").path)
        #expect(sampled == .init(route: .fileToFile(.xyz), clouds: 1, points: 50, sampledMesh: true))

        let set = dir.appendingPathComponent("set.h5").path
        let clouds = (0 ..< 3).map { i in PointCloud(positions: (0 ..< 8).map { SIMD3(Float(i), Float($0), 0) }) }
        try PointCloudHDF5.write(clouds, categories: ["a", "a", "b"], to: set)
        let copy = try ShapeConversion(points: 4, seed: 2).run(from: set, to: dir.appendingPathComponent("copy.h5").path)
        #expect(copy == .init(route: .setToSet, clouds: 3))
        #expect(try PointCloudHDF5.read(dir.appendingPathComponent("copy.h5").path).clouds.map(\.count) == [4, 4, 4])
        let folder = dir.appendingPathComponent("clouds").path + "/"
        #expect(try ShapeConversion(format: .xyz).run(from: set, to: folder) == .init(route: .setToFolder(.xyz), clouds: 3))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["a_00000.xyz", "a_00001.xyz", "b_00002.xyz"])
    }
}
