import Chem
import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `--relax-pool`: a pool molecule the model put a little off its minimum comes back to it,
/// with the same atoms in the same order, centred where it was, and its graph kept.
@Suite struct PoolRelaxationTests {
    /// N-acetylethanolamine (a QM9-sized molecule) at its MMFF94 minimum, then every atom moved
    /// by N(0, 0.05² Å²) per axis, keeping its graph: a sample whose graph is valid and whose
    /// geometry is a little off, as the pools' kept molecules are.
    private func perturbedMolecule() throws -> (minimum: Molecule, sample: Molecule) {
        let minimum = try Molecule(string: "CC(=O)NCCO", format: .smiles)
            .generating3D(MinimizationOptions(maxSteps: 2000)).molecule
        var generator = Xoshiro256StarStar(seed: 5)
        var sample = minimum
        for i in sample.atoms.indices {
            sample.atoms[i].position += 0.05 * SIMD3(generator.nextStandardNormal(), generator.nextStandardNormal(), generator.nextStandardNormal())
        }
        return (minimum, sample)
    }

    private static func centroid(_ molecule: Molecule) -> SIMD3<Double> {
        molecule.atoms.reduce(SIMD3<Double>()) { $0 + $1.position } / Double(molecule.atoms.count)
    }

    private static func bondLengths(_ molecule: Molecule, of bonds: [Molecule.Bond]) -> [Double] {
        bonds.map { bond in
            let d = molecule.atoms[bond.first].position - molecule.atoms[bond.second].position
            return (d * d).sum().squareRoot()
        }
    }

    @Test func relaxingRestoresTheBondLengthsAndKeepsAtomsGraphAndCentre() throws {
        let (minimum, sample) = try perturbedMolecule()
        let outcome = try PoolRelaxation(steps: 500).relax([sample])
        #expect(outcome.failures == 0 && outcome.displacements.count == 1)
        let relaxed = try #require(outcome.molecules.first)
        #expect(relaxed.atoms.map(\.element) == sample.atoms.map(\.element), "the same atoms in the same order")
        #expect(relaxed.bonds == sample.bonds, "the graph the reward scored")
        let shift = Self.centroid(relaxed) - Self.centroid(sample)
        #expect((shift * shift).sum().squareRoot() < 1e-9, "centred where the sample was")

        // The noise moved bonds by up to about 0.1 Å; relaxed, they are back within 0.02 Å of the minimum's.
        let reference = Self.bondLengths(minimum, of: minimum.bonds)
        let before = zip(Self.bondLengths(sample, of: minimum.bonds), reference).map { abs($0 - $1) }.max()!
        let after = zip(Self.bondLengths(relaxed, of: minimum.bonds), reference).map { abs($0 - $1) }.max()!
        #expect(before > 0.05, "the perturbation is large enough to matter (\(before) Å)")
        #expect(after < 0.02, "relaxed bond lengths within 0.02 Å of the minimum's (largest error \(after) Å)")
        #expect(try relaxed.energy() < sample.energy())
        // EDM's stability (bond orders from distances) holds after relaxing, as at the minimum.
        let stable = { (m: Molecule) in EDMStability(of: EDMBonds.assigningBonds(to: Molecule(atoms: m.atoms))).isStable }
        #expect(stable(minimum) && stable(relaxed))
        #expect(outcome.displacements[0] > 0.03 && outcome.displacements[0] < 0.3)
        #expect(outcome.summary["relax_failures"] == 0)
    }

    @Test func aMoleculeWithNothingToRelaxKeepsItsGeometry() throws {
        // One atom alone: EDM's bonds give it none, and a force field has nothing to move.
        let lone = Molecule(atoms: [Molecule.Atom(element: Element(atomicNumber: 6)!, position: SIMD3(1, 2, 3))])
        let (_, sample) = try perturbedMolecule()
        let outcome = try PoolRelaxation(steps: 50).relax([lone, sample])
        #expect(outcome.molecules.count == 2)
        #expect(outcome.molecules[0].atoms[0].position == SIMD3(1, 2, 3))
        #expect(outcome.molecules[1].atoms.map(\.element) == sample.atoms.map(\.element))
    }
}
