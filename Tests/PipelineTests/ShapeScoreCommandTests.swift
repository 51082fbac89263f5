import Diffusion
import Foundation
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm score` with a shape reward: clouds of files and sets, one reward each.
@Suite(.temporaryDirectories) struct ShapeScoreCommandTests {
    @Test func shapeRewardsScoreCloudsOfFilesAndSets() throws {
        let dir = try TemporaryDirectory.create("score-shapes")
        // A box twice as long in x as in y and z, and a set of two unit-circle clouds.
        let box = PointCloud(positions: [SIMD3(-1, -0.5, -0.5), SIMD3(1, 0.5, 0.5), SIMD3(1, -0.5, 0.5), SIMD3(-1, 0.5, -0.5)])
        try ShapeFile.write(box, to: dir.path + "/box.ply")
        let set = dir.path + "/circles.h5"
        try TrainingFixtures.writeShapeSet(to: set, shapes: 2, points: 8)
        let table = dir.path + "/rewards.tsv"
        var command = try RGDMCommand.parseAsRoot(["score", dir.path + "/box.ply", set, "--reward", "aspect(2:1:1)", "-o", table])
        #expect((command as? ScoreCommand)?.scoresShapes == true)
        try command.run()
        let rows = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }
        #expect(rows.count == 4, "the box and the set's three clouds (two train, one test)")
        #expect(rows[0][0] == "\(dir.path)/box.ply" && abs((Double(rows[0][1]) ?? .nan)) < 1e-6, "the box has the asked proportions")
        // The circles are flat (no extent in z): the aspect reward fails on them, and says why.
        #expect(rows.dropFirst().allSatisfy { $0.count == 2 && Double($0[1]) == nil && $0[1].contains("flat") },
                "\(rows.dropFirst())")
        // A molecule reward keeps molecule scoring; a shape table must be TSV.
        #expect((try RGDMCommand.parseAsRoot(["score", "x.sdf", "--reward", "qed"]) as? ScoreCommand)?.scoresShapes == false)
        expectParseError(RGDMCommand.self, ["score", set, "--reward", "symmetry(x)", "-o", dir.path + "/out.sdf"], "--output must end in .tsv for shapes")
    }
}
