import Foundation
import Testing
@testable import Chem

/// Identifiers, hydrogens, bond perception, force fields, 3D generation,
/// descriptors and QED through Open Babel.
@Suite(.serialized) struct ChemistryTests {
    @Test func canonicalSMILESIgnoresInputOrder() throws {
        let a = try Molecule(string: "OCC", format: .smiles)
        let b = try Molecule(string: "C(O)C", format: .smiles)
        #expect(try a.canonicalSMILES() == b.canonicalSMILES())
        #expect(try Molecule(string: "C1=CC=CC=C1", format: .smiles).canonicalSMILES() == "c1ccccc1")
    }

    @Test func inchiAndKeyOfEthanol() throws {
        let ethanol = try Molecule(string: "CCO", format: .smiles)
        #expect(try ethanol.inchi() == "InChI=1S/C2H6O/c1-2-3/h3H,2H2,1H3")
        #expect(try ethanol.inchiKey() == "LFQSCWFLJHTTHZ-UHFFFAOYSA-N")
    }

    @Test func hydrogensComeAndGo() throws {
        let ethanol = try Molecule(string: "CCO", format: .smiles)
        #expect(ethanol.atoms.count == 3 && ethanol.fullAtomCount == 9)
        let explicit = try ethanol.addingHydrogens()
        #expect(explicit.atoms.count == 9 && explicit.atoms.allSatisfy { $0.implicitHydrogens == 0 })
        #expect(try explicit.removingHydrogens().atoms.count == 3)
    }

    @Test func openBabelPerceivesBondsOfAQM9Geometry() throws {
        // QM9 #4 is acetylene: a triple bond from bare coordinates.
        let records = try QM9CSVReader(path: Fixture.path("qm9-sample.csv")).map { try $0.get() }
        let acetylene = try #require(records.first { $0.smiles == "C#C" })
        let perceived = try acetylene.molecule.perceivingBonds()
        #expect(perceived.bonds.map(\.order).sorted() == [1, 1, 3])
        #expect(try perceived.canonicalSMILES() == "C#C")
    }

    @Test func builds3DThatConvergesWithSensibleGeometry() throws {
        let paracetamol = try Molecule(string: "CC(=O)Nc1ccc(O)cc1", format: .smiles)
        let (structure, report) = try paracetamol.generating3D(MinimizationOptions(maxSteps: 2000))
        #expect(report.converged && report.forceField == .mmff94)
        #expect(structure.atoms.count == 20)  // C8H9NO2
        #expect(structure.dimension == .spatial)
        // Every bond between 0.9 and 1.6 Å, and the reported energy is what the force field says.
        for bond in structure.bonds {
            let d = structure.atoms[bond.first].position - structure.atoms[bond.second].position
            #expect((0.9...1.6).contains((d * d).sum().squareRoot()))
        }
        #expect(abs(try structure.energy(.mmff94) - report.energy) < 1e-3)
        // The same graph comes back from the 3D structure.
        #expect(try structure.canonicalSMILES() == paracetamol.canonicalSMILES())
    }

    @Test func minimisationLowersTheEnergyAndReportsNonConvergence() throws {
        let molecule = try Molecule(string: "CCCCCCO", format: .smiles)
        let rough = try molecule.generating3D(MinimizationOptions(maxSteps: 1, requireConvergence: false, rotorSearch: false))
        #expect(!rough.report.converged)
        #expect { try molecule.generating3D(MinimizationOptions(maxSteps: 1, rotorSearch: false)) } throws: { error in
            guard case ChemError.notConverged(let steps, let energy) = error else { return false }
            return steps == 1 && energy.isFinite
        }
        let (relaxed, report) = try rough.molecule.minimized(MinimizationOptions(maxSteps: 2000))
        #expect(report.converged && report.energy < rough.report.energy)
        #expect(relaxed.atoms.map(\.element) == rough.molecule.atoms.map(\.element))
    }

    @Test func uffStandsInWhereMMFF94HasNoParameters() throws {
        let selenide = try Molecule(string: "C[Se]C", format: .smiles)
        let (_, report) = try selenide.generating3D(MinimizationOptions(maxSteps: 2000))
        #expect(report.forceField == .uff)
        #expect(throws: ChemError.chemistry("MMFF94 has no parameters for this molecule")) { try selenide.addingHydrogens().energy(.mmff94) }
    }

    @Test func descriptorsOfAspirin() throws {
        let aspirin = try Molecule(string: "CC(=O)Oc1ccccc1C(=O)O", format: .smiles)
        let d = try aspirin.descriptors()
        #expect(abs(d.molecularWeight - 180.16) < 0.05)
        #expect(d.hBondDonors == 1)
        #expect(abs(d.tpsa - 63.6) < 0.5)
        #expect(d.rings == 1 && d.aromaticRings == 1 && d.heavyAtoms == 13)
        #expect(d.rotatableBonds >= 2 && d.rotatableBonds <= 4)
        #expect(d.logP > 0.5 && d.logP < 2.5)
    }

    @Test func qedDesirabilityPeaksWhereThePaperSays() {
        // MW desirability is highest near 300 and falls away on both sides.
        let at300 = QED.desirability(300, property: 0)
        #expect(at300 > 0.95 && at300 <= 1.0 + 1e-9)
        #expect(QED.desirability(700, property: 0) < 0.2)
        #expect(QED.desirability(0, property: 7) > QED.desirability(3, property: 7))  // alerts only hurt
    }

    /// The three drugs of the QED paper's reference examples (values from the original implementation:
    /// 0.253, 0.234, 0.234); Open Babel's logP and counts differ slightly from other toolkits.
    @Test(arguments: [("N=C(CCSCc1csc(N=C(N)N)n1)NS(N)(=O)=O", 0.253),
                      ("CNC(=NCCSCc1nc[nH]c1C)NC#N", 0.234),
                      ("CCCCCNC(=N)NN=Cc1c[nH]c2ccc(CO)cc12", 0.234)])
    func qedMatchesThePublishedExamples(smiles: String, expected: Double) throws {
        let value = try Molecule(string: smiles, format: .smiles).qed()
        #expect(abs(value - expected) < 0.06, "QED \(value) vs \(expected)")
    }
}
