import Chem
import Foundation
import Testing
@testable import Pipeline

/// `rgdm score` end to end on QM9 geometries: the summary and the SDF with the rewards.
@Suite struct ScoreCommandTests {
    @Test func scoresAFileAndWritesTheRewardsAsSDFields() throws {
        try RewardTestSupport.withScratch { directory in
            let input = directory + "/molecules.sdf"
            var molecules = try RewardTestSupport.qm9([1, 2, 10])
            molecules.append(RewardTestSupport.pentavalentCarbon)
            molecules.append(molecules[0])
            try Molecule.write(molecules, to: input)
            let output = directory + "/scored.sdf"
            let command = try #require(try RGDMCommand.parseAsRoot(["score", input, "--reward", "qed", "-o", output, "--threads", "1"])
                as? ScoreCommand)
            var scorer = try #require(try command.rewards.makeScorer(workers: 1))
            let summary = try MoleculeScoring(files: [input]).run(&scorer, output: output)
            #expect(summary.ledger.evaluations == 5 && summary.ledger.cacheHits == 1 && summary.ledger.failures == ["invalid-molecule": 1])
            #expect(summary.rewards.count == 4)
            #expect(abs((summary.topTenthMean ?? 0) - (summary.rewards.max() ?? 1)) < 1e-12, "the best tenth of 4 is the best one")
            #expect(summary.best?.reward == summary.rewards.max())
            let written = try Molecule.readAll(contentsOf: output)
            #expect(written.count == 5)
            #expect(written.compactMap { $0.property(MoleculeScoring.rewardField).flatMap(Double.init) } == summary.rewards)
            #expect(written[3].property(MoleculeScoring.failureField)?.contains("invalid molecule") == true)
            let floored = written.compactMap { $0.property(MoleculeScoring.flooredField).flatMap(Double.init) }
            #expect(floored.count == 5, "every molecule has a finite label")
            #expect(floored[3] == summary.rewards.min(), "the failure gets the floor, the batch's lowest reward by default")
            #expect(Array(floored[0 ..< 3]) + [floored[4]] == summary.rewards)
            #expect(abs(summary.rewards[0] - 0.4284) < 2e-3, "isopropanol's QED (RDKit 0.4284)")
        }
    }
}
