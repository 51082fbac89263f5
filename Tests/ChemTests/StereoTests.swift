import Foundation
import Testing
import TestSupport
@testable import Chem

/// A SMILES's stereochemistry lives on in `Molecule.stereo`, 3D structures
/// built from it are that stereoisomer, and a seed fixes the structure.
@Suite(.serialized) struct StereoTests {
    /// SMILES and the canonical SMILES `obabel -:SMILES -ocan` (Open Babel 3.1.1) writes for it.
    static let canonical: [(smiles: String, canonical: String)] = [
        ("N[C@@H](C)C(=O)O", "C[C@@H](C(=O)O)N"),                                         // L-alanine
        ("C/C=C/C(=O)O", "C/C=C/C(=O)O"),                                                 // crotonic acid (E)
        ("CN1CC[C@]23CCCC[C@H]2[C@H]1Cc1ccc(O)cc13", "Oc1ccc2c(c1)[C@]13CCCC[C@H]3[C@@H](C2)N(CC1)C"),  // levorphanol
        ("CCCCC(=O)O[C@H]1CC[C@H]2[C@@H]3CCc4cc(O)ccc4[C@H]3CC[C@]12C",
         "CCCCC(=O)O[C@H]1CC[C@@H]2[C@]1(C)CC[C@H]1[C@H]2CCc2c1ccc(c2)O"),                // estradiol valerate
    ]

    @Test(arguments: canonical.map(\.smiles))
    func smilesStereoSurvivesTheValue(smiles: String) throws {
        let expected = try #require(Self.canonical.first { $0.smiles == smiles }?.canonical)
        let molecule = try Molecule(string: smiles, format: .smiles)
        #expect(!molecule.stereo.isEmpty)
        #expect(try molecule.canonicalSMILES() == expected)
        // Through hydrogens and an SDF without coordinates and back.
        let explicit = try molecule.addingHydrogens()
        #expect(try explicit.canonicalSMILES() == expected)
        // The mirror image is another molecule.
        var mirror = molecule
        mirror.stereo.tetrahedral = mirror.stereo.tetrahedral.map {
            Molecule.Stereo.Tetrahedral(centre: $0.centre, neighbours: [$0.neighbours[0], $0.neighbours[2], $0.neighbours[1], $0.neighbours[3]])
        }
        if !molecule.stereo.tetrahedral.isEmpty { #expect(try mirror.canonicalSMILES() != expected) }
    }

    @Test func stereoOutOfRangeIsAnError() throws {
        var alanine = try Molecule(string: "N[C@@H](C)C(=O)O", format: .smiles)
        alanine.stereo.tetrahedral[0].neighbours[1] = 99
        #expect(throws: ChemError.openBabel("stereocentre 1 names an atom out of range")) { try alanine.canonicalSMILES() }
    }

    @Test func threeDStructuresCarryStereoInTheirCoordinates() throws {
        let molecule = try Molecule(string: "N[C@@H](C)C(=O)O", format: .smiles)
        var generator = SystemRandomNumberGenerator()
        let (structure, _) = try molecule.generating3D(MinimizationOptions(requireConvergence: false), using: &generator)
        #expect(structure.stereo.isEmpty)
        #expect(try structure.canonicalSMILES() == "C[C@@H](C(=O)O)N")
    }

    /// Fused ring systems (a morphinan OBBuilder gets wrong on its first
    /// build, a steroid and its 17-epimer) come out as the stereoisomer asked
    /// for, relaxed: under 2.5 kcal/mol per atom.
    @Test(arguments: ["NC(=O)c1ccc2c(c1O)[C@]13CCN(CC4CC4)[C@H](C2)[C@]1(O)CCC(=O)C3",
                      "CCCCC(=O)O[C@H]1CC[C@H]2[C@@H]3CCc4cc(O)ccc4[C@H]3CC[C@]12C",
                      "CCCCC(=O)O[C@@H]1CC[C@H]2[C@@H]3CCc4cc(O)ccc4[C@H]3CC[C@]12C"])
    func fusedRingSystemsKeepTheirStereochemistry(smiles: String) throws {
        let molecule = try Molecule(string: smiles, format: .smiles)
        var generator = SeededGenerator(seed: 7)
        let (structure, report) = try molecule.generating3D(MinimizationOptions(requireConvergence: false), using: &generator)
        #expect(try structure.canonicalSMILES() == molecule.canonicalSMILES())
        #expect(report.energy / Double(structure.atoms.count) < 2.5, "\(report.energy) kcal/mol for \(structure.atoms.count) atoms")
    }

    /// Same seed, same coordinates, twice in one process, with other builds in between.
    @Test func sameSeedSameStructure() throws {
        let options = MinimizationOptions(requireConvergence: false)
        // The morphinan takes several builds (atom orders drawn from the seed).
        for smiles in ["CC(=O)Nc1ccc(O)cc1", "OCC1OC(O)C(O)C(O)C1O",
                       "NC(=O)c1ccc2c(c1O)[C@]13CCN(CC4CC4)[C@H](C2)[C@]1(O)CCC(=O)C3"] {
            let molecule = try Molecule(string: smiles, format: .smiles)
            var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42), other = SeededGenerator(seed: 43)
            let a = try molecule.generating3D(options, using: &first).molecule
            _ = try Molecule(string: "CCCCCCCCO", format: .smiles).generating3D(options, using: &other)
            let b = try molecule.generating3D(options, using: &second).molecule
            expectClose(coordinates(a), coordinates(b), tolerance: 0, "\(smiles): coordinates (Å)")
        }
    }
}

/// splitmix64: a seedable generator for tests (Chem does not depend on Diffusion's).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
