import Chem
import Foundation
import Testing
@testable import Pipeline

/// The molecule rewards against reference values. RDKit values: RDKit 2026.09.1
/// (`QED.qed`, `Descriptors.MolLogP`, `rdMolDescriptors.CalcTPSA`, `Descriptors.MolWt`) on
/// the same SMILES. Open Babel's logP uses Wildman and Crippen's contributions and its TPSA
/// Ertl's table, so those agree to RDKit's printed digits on these molecules (not on amides,
/// whose atoms Open Babel types differently: NC(=O)C#C is −0.19 there, −0.90 in RDKit);
/// QED's acceptor count follows Open Babel's aromaticity and can differ a little (aspirin).
@Suite struct MoleculeRewardTests {
    /// (SMILES, QED, logP, TPSA, MW, QED tolerance)
    @Test(arguments: [
        ("CC(=O)Oc1ccccc1C(=O)O", 0.5501, 1.3101, 63.60, 180.159, 0.02),  // aspirin
        ("CCO", 0.4068, -0.0014, 20.23, 46.069, 0.001),                   // ethanol
        ("c1ccccc1", 0.4426, 1.6866, 0.0, 78.114, 0.001),                 // benzene
        ("CN1C=NC2=C1C(=O)N(C(=O)N2C)C", 0.5385, -1.0293, 61.82, 194.194, 0.001),  // caffeine
    ])
    func graphPropertiesMatchRDKit(smiles: String, qed: Double, logP: Double, tpsa: Double, weight: Double, qedTolerance: Double) throws {
        let molecule = try Molecule(string: smiles, format: .smiles)
        #expect(abs(try GraphProperty.qed.value(of: molecule) - qed) <= qedTolerance)
        #expect(abs(try GraphProperty.logP.value(of: molecule) - logP) <= 1e-3)
        #expect(abs(try GraphProperty.tpsa.value(of: molecule) - tpsa) <= 0.01)
        #expect(abs(try GraphProperty.molecularWeight.value(of: molecule) - weight) <= 0.01)
    }

    /// Generated-style molecules (QM9 geometries, bonds from the distance table) score what
    /// RDKit gives for their SMILES: rows 1, 50 and 200 of the committed subset.
    @Test func geometriesScoreTheirSMILESValues() throws {
        let molecules = try RewardTestSupport.qm9([1, 50, 200])
        let expected: [(qed: Double, logP: Double, tpsa: Double)] = [
            (0.4284, 0.3871, 20.23),   // CC(C)O
            (0.5135, 0.7788, 20.23),   // OCC12CC(C1)C2
            (0.4055, -0.2977, 35.53),  // O=C1CC2(COC2)O1
        ]
        let qed = GraphPropertyReward(.qed).score(molecules)
        let logP = GraphPropertyReward(.logP).score(molecules)
        let tpsa = GraphPropertyReward(.tpsa).score(molecules)
        for i in expected.indices {
            #expect(abs(try qed[i].get() - expected[i].qed) < 2e-3, "molecule \(i)")
            #expect(abs(try logP[i].get() - expected[i].logP) < 1e-3, "molecule \(i)")
            #expect(abs(try tpsa[i].get() - expected[i].tpsa) < 0.01, "molecule \(i)")
        }
    }

    /// Each graph-only reward of a geometry is the property of the molecule read from its
    /// canonical SMILES, whatever the geometry's own bonds: the first 40 QM9 rows.
    @Test func graphRewardsAreThePropertiesOfTheCanonicalSMILES() throws {
        let molecules = try RewardTestSupport.qm9(Array(0..<40))
        for property in GraphProperty.allCases {
            let outcomes = GraphPropertyReward(property).score(molecules)
            for (molecule, outcome) in zip(molecules, outcomes) {
                guard let smiles = try EDMValidity.smiles(of: molecule) else {
                    #expect(outcome.failureKind == .invalidMolecule)
                    continue
                }
                var bondless = molecule
                bondless.bonds = []
                #expect(try outcome.get() == property.value(of: try Molecule(string: smiles, format: .smiles)), "\(smiles)")
                #expect(GraphPropertyReward(property).score([bondless])[0] == outcome, "the file's bonds are not read")
            }
        }
    }

    @Test func anInvalidMoleculeFailsEveryPropertyRewardButScoresOnTheEDMCriteria() throws {
        let invalid = [RewardTestSupport.pentavalentCarbon, Molecule()]
        let rewards: [any MoleculeReward] = [GraphPropertyReward(.qed), GraphPropertyReward(.molecularWeight), MMFF94Reward()]
        for reward in rewards {
            for outcome in reward.score(invalid) {
                #expect(outcome.failureKind == .invalidMolecule, "\(reward.name)")
            }
        }
        #expect(EDMCriterionReward(.validity).score(invalid).map { try? $0.get() } == [0, 0])
        #expect(EDMCriterionReward(.moleculeStability).score(invalid).map { try? $0.get() } == [0, 0])
        // Carbon has five bonds (unstable), each hydrogen one (stable): 5 of 6 atoms.
        let atoms = try EDMCriterionReward(.atomStability).score([RewardTestSupport.pentavalentCarbon])[0].get()
        #expect(abs(atoms - 5.0 / 6.0) < 1e-12)
    }

    @Test func edmCriteriaOfStableMolecules() throws {
        let molecules = [RewardTestSupport.water, RewardTestSupport.methane]
        for criterion in EDMCriterion.allCases {
            #expect(EDMCriterionReward(criterion).score(molecules).map { try? $0.get() } == [1, 1], "\(criterion)")
        }
    }

    /// −E/atoms on the QM9 (DFT-relaxed) geometry: MMFF94 puts such geometries within a few
    /// kcal/mol per atom of its own minimum. Open Babel's energy of the same molecule is the reference.
    @Test func mmff94IsTheNegatedEnergyPerAtom() throws {
        let molecule = try RewardTestSupport.qm9([1])[0]
        let reward = try MMFF94Reward().score([molecule])[0].get()
        let fragment = try #require(EDMValidity.sanitizedLargestFragment(of: molecule))
        let energy = try fragment.energy(.mmff94)
        #expect(abs(reward - (-energy / Double(fragment.atoms.count))) < 1e-12)
        #expect(abs(reward) < 5)
        // Without its hydrogens the geometry has valences filled by implicit ones: MMFF94 refuses.
        var heavy = molecule
        heavy.atoms.removeAll { $0.element == .hydrogen }
        #expect(MMFF94Reward().score([heavy])[0].failureKind == .failed)
    }
}

extension Result where Failure == RewardFailure {
    var failure: RewardFailure? {
        if case let .failure(failure) = self { return failure }
        return nil
    }

    var failureKind: RewardFailure.Kind? { failure?.kind }
}
