import Chem
import Foundation
import Testing
@testable import Pipeline

/// GFN2-xTB rewards through Debian's xtb 6.5: known molecules in known ranges, xtb's output
/// parsed, and a geometry xtb refuses, a hung and a missing xtb as failures.
@Suite struct XTBRewardTests {
    /// xtb 6.5.1's lines for water at the geometry of `RewardTestSupport.water`.
    static let waterOutput = """
                     HL-Gap            0.5376306 Eh           14.6297 eV
     Mol. C8AA /au·bohr⁸  :        795.450478
     Mol. α(0) /au        :          9.428780
    molecular dipole:
                     x           y           z       tot (Debye)
     q only:        0.000      -0.000      -0.625
       full:        0.000      -0.000      -0.894       2.271
    molecular quadrupole (traceless):
       full:       -1.250       0.000       1.417      -0.000       0.000      -0.167
              | TOTAL ENERGY               -5.070370761845 Eh   |
              | GRADIENT NORM               0.007221585093 Eh/α |
              | HOMO-LUMO GAP              14.629673576893 eV   |
    """

    @Test func readsEveryPropertyFromXTBsOutput() {
        let values = XTBProperty.allCases.map { $0.value(in: Self.waterOutput) }
        #expect(values == [14.629673576893, 2.271, 9.428780, -5.070370761845, 0.007221585093])
        #expect(XTBProperty.gap.value(in: "normal termination of xtb") == nil)
        let refusal = """
        [ERROR] Program stopped due to fatal error
        -2- Some atoms in the start geometry are *very* close
        -1- Found *very* short distance of  0.000E+00 for O1-H2
        ########################################################################
        """
        #expect(XTBProperty.errorReason(in: refusal) == "Some atoms in the start geometry are *very* close; Found *very* short distance of  0.000E+00 for O1-H2")
    }

    @Test func waterAndMethaneAreInKnownRanges() throws {
        let molecules = [RewardTestSupport.water, RewardTestSupport.methane]
        let gap = XTBRewardTests.values(try XTBReward(property: .gap).score(molecules))
        let dipole = XTBRewardTests.values(try XTBReward(property: .dipole).score(molecules))
        let alpha = XTBRewardTests.values(try XTBReward(property: .polarizability).score(molecules))
        let energy = XTBRewardTests.values(try XTBReward(property: .energy).score(molecules))
        let gradient = XTBRewardTests.values(try XTBReward(property: .gradient).score(molecules))
        // GFN2-xTB overestimates gaps (B3LYP: water 0.30 Eh = 8.2 eV in QM9); water's dipole is 1.85 D in the gas phase.
        #expect((12...17).contains(gap[0]) && (12...18).contains(gap[1]))
        #expect((1.8...2.6).contains(dipole[0]) && dipole[1] < 0.05)
        #expect((8...11).contains(alpha[0]) && (14...19).contains(alpha[1]))
        #expect((-5.2 ... -5.0).contains(energy[0]) && (-4.3 ... -4.1).contains(energy[1]))
        #expect(gradient.allSatisfy { (0..<0.05).contains($0) })
    }

    /// Water with every atom at the origin: xtb refuses it with its reason, a failure of that
    /// molecule, not an error. (EDM's sanitisation rejects such a geometry before xtb runs;
    /// the single point is called directly here.)
    @Test func aGeometryXTBRefusesIsAFailureWithXTBsReason() throws {
        var collapsed = RewardTestSupport.water
        for i in collapsed.atoms.indices { collapsed.atoms[i].position = .zero }
        let reward = try XTBReward(property: .gap)
        guard case let .crashed(program, reason) = reward.calculator.singlePoint(collapsed, xyz: XTBCalculator.xyz(collapsed)).failure else {
            Issue.record("expected xtb to refuse the geometry")
            return
        }
        #expect(program == "xtb" && reason.contains("very* short distance"))
        let outcomes = reward.score([collapsed, RewardTestSupport.water])
        #expect(outcomes[0].failureKind == .invalidMolecule && (try? outcomes[1].get()) != nil)
    }

    /// A diverged chain's molecule (NaN coordinates) is invalid before xtb could run on it.
    @Test func aMoleculeWithNaNCoordinatesIsInvalid() throws {
        var diverged = RewardTestSupport.methane
        diverged.atoms[1].position.y = .nan
        let reward = try XTBReward(property: .gap)
        #expect(reward.calculator.singlePoint(diverged, xyz: XTBCalculator.xyz(diverged)).failure
                == .invalidMolecule("a coordinate is not finite (the sampling chain diverged)"))
        #expect(reward.score([diverged]).first?.failureKind == .invalidMolecule)
    }

    @Test func aHungXTBTimesOutAndItsScratchDirectoryIsRemoved() throws {
        try RewardTestSupport.withScratch { directory in
            let fake = try RewardTestSupport.script("xtb", in: directory, "#!/bin/sh\npwd > \(directory)/where\nexec sleep 30\n")
            let reward = try XTBReward(property: .gap, executable: fake, timeout: 0.3)
            let outcome = reward.score([RewardTestSupport.water])[0]
            #expect(outcome == .failure(.timedOut(program: "xtb", seconds: 0.3)))
            let scratch = try String(contentsOfFile: directory + "/where", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!scratch.isEmpty && !FileManager.default.fileExists(atPath: scratch))
        }
    }

    @Test func anXTBThatPrintsNoValueIsUnreadable() throws {
        try RewardTestSupport.withScratch { directory in
            let fake = try RewardTestSupport.script("xtb", in: directory, "#!/bin/sh\necho 'normal termination of xtb'\n")
            let outcome = try XTBReward(property: .dipole, executable: fake).score([RewardTestSupport.water])[0]
            #expect(outcome == .failure(.unreadableAnswer(program: "xtb", answer: "no dipole in its output")))
        }
    }

    /// The xTB terms of one reward share one run per molecule.
    @Test func termsOfOneRewardShareTheirRuns() throws {
        try RewardTestSupport.withScratch { directory in
            try Self.waterOutput.write(toFile: directory + "/output.txt", atomically: true, encoding: .utf8)
            let fake = try RewardTestSupport.script("xtb", in: directory, "#!/bin/sh\necho run >> \(directory)/runs\ncat \(directory)/output.txt\n")
            let settings = RewardSettings(xtbExecutable: fake)
            let reward = try RewardSpecification(parsing: "xtb-gap + 10*xtb-dipole - xtb-gradient").makeReward(settings)
            var shifted = RewardTestSupport.water
            shifted.atoms[0].position.x += 0.01
            let outcomes = reward.score([RewardTestSupport.water, shifted, RewardTestSupport.pentavalentCarbon])
            let expected = 14.629673576893 + 10 * 2.271 - 0.007221585093
            #expect(abs(try outcomes[0].get() - expected) < 1e-12)
            #expect(abs(try outcomes[1].get() - expected) < 1e-12)
            #expect(outcomes[2].failureKind == .invalidMolecule)
            let runs = try String(contentsOfFile: directory + "/runs", encoding: .utf8).split(separator: "\n")
            #expect(runs.count == 2, "one run per valid molecule for three terms")
        }
    }

    static func values(_ outcomes: [RewardOutcome]) -> [Double] {
        outcomes.map { (try? $0.get()) ?? .nan }
    }
}
