import COpenBabel
import Foundation
import Testing
import TestSupport
@testable import Chem

/// The distance-geometry fallback of `generating3D`: fused ring systems whose
/// stereochemistry OBBuilder's ring templates cannot produce (seven of the eight
/// such drugs among the first 100 of Fixtures/chembl-drugs-200.smi) come out as
/// the stereoisomer asked for, reproducibly, and its error function's gradient
/// matches finite differences.
@Suite(.serialized) struct DistanceGeometryTests {
    static let unbuildableByOBBuilder = [
        "CCCC[N+]1(C)[C@@H]2C[C@@H](OC(=O)[C@H](CO)c3ccccc3)C[C@H]1[C@@H]1O[C@@H]12",                     // butylscopolamine
        "CN1CC[C@]23CCCC[C@H]2[C@H]1Cc1ccc(O)cc13",                                                     // levorphanol
        "C[C@]12C/C(=C/O)C(=O)C[C@@H]1CC[C@@H]1[C@@H]2CC[C@@]2(C)[C@H]1CC[C@]2(C)O",                     // oxymetholone
        "Cc1cc2nc3c(=O)[nH]c(=O)nc-3n(C[C@H](O)[C@H](O)[C@H](O)COP(=O)(O)O)c2cc1C",                     // riboflavin phosphate
        "C[C@]12CCC(=O)C=C1CC[C@@H]1[C@@H]2[C@@H](O)C[C@@]2(C)[C@H]1CC[C@]2(O)C(=O)COC(=O)CCC(=O)O",     // hydrocortisone hemisuccinate
        "CN(C)[C@@H]1C(O)=C(C(N)=O)C(=O)[C@@]2(O)C(O)=C3C(=O)c4c(O)ccc(Cl)c4[C@@](C)(O)[C@H]3C[C@@H]12", // chlortetracycline
        "C[C@]12COC(=O)C[C@@H]1CC[C@@H]1[C@@H]2CC[C@@]2(C)[C@H]1CC[C@]2(C)O",                           // oxandrolone
    ]

    /// The canonical SMILES a structure of `smiles` may have: the input's, or
    /// for butylscopolamine, whose quaternary nitrogen the SMILES leaves
    /// unspecified but any 3D structure makes a stereocentre, either of its two.
    static func acceptedCanonicalSMILES(_ smiles: String) throws -> Set<String> {
        guard smiles.hasPrefix("CCCC[N+]") else { return [try Molecule(string: smiles, format: .smiles).canonicalSMILES()] }
        return try Set(["[N@+]", "[N@@+]"].map {
            try Molecule(string: smiles.replacingOccurrences(of: "[N+]", with: $0), format: .smiles).canonicalSMILES()
        })
    }

    @Test(arguments: unbuildableByOBBuilder)
    func fusedRingSystemsBuildWithTheirStereochemistry(smiles: String) throws {
        let molecule = try Molecule(string: smiles, format: .smiles)
        var generator = SeededGenerator(seed: 1)
        let (structure, report) = try molecule.generating3D(MinimizationOptions(requireConvergence: false), using: &generator)
        #expect(structure.stereo.isEmpty)  // carried by the coordinates
        let canonical = try structure.canonicalSMILES()
        #expect(try Self.acceptedCanonicalSMILES(smiles).contains(canonical), "\(canonical)")
        #expect(report.energy.isFinite)
    }

    /// A stereoisomer no structure seems able to have is an error, not another
    /// stereoisomer: the fixture's buprenorphine SMILES, whose bicyclo[2.2.2]octane
    /// bridgeheads appear to contradict the centres around them (every embedding
    /// stretches the same bonds; RDKit's ETKDG finds no embedding for it either).
    @Test func impossibleStereochemistryIsAnError() throws {
        let buprenorphine = try Molecule(string: "CO[C@@]12CC[C@@]3(C[C@@H]1[C@](C)(O)C(C)(C)C)[C@H]1Cc4ccc(O)c5c4[C@@]3(CCN1CC1CC1)[C@H]2O5",
                                         format: .smiles)
        var generator = SeededGenerator(seed: 1)
        #expect {
            try buprenorphine.generating3D(MinimizationOptions(requireConvergence: false), using: &generator)
        } throws: { error in
            guard case ChemError.chemistry(let reason) = error else { return false }
            return reason.contains("stereoisomer")
        }
    }

    /// Same seed, same coordinates through the distance-geometry path, with another build in between.
    @Test func sameSeedSameStructure() throws {
        let options = MinimizationOptions(requireConvergence: false)
        let levorphanol = try Molecule(string: Self.unbuildableByOBBuilder[1], format: .smiles)
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42), other = SeededGenerator(seed: 43)
        let a = try levorphanol.generating3D(options, using: &first).molecule
        _ = try Molecule(string: Self.unbuildableByOBBuilder[6], format: .smiles).generating3D(options, using: &other)
        let b = try levorphanol.generating3D(options, using: &second).molecule
        expectClose(coordinates(a), coordinates(b), tolerance: 0, "coordinates (Å)")
    }

    /// The hand-written gradient of the embedding error (distance bounds,
    /// chiral and planarity volumes, fourth dimension) against central differences.
    @Test(arguments: [Self.unbuildableByOBBuilder[1], Self.unbuildableByOBBuilder[2], "C/C=C/C(=O)N[C@@H](C)c1ccccc1"])
    func errorGradientMatchesFiniteDifferences(smiles: String) throws {
        let molecule = try Molecule(string: smiles, format: .smiles)
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(molecule)
            let n = Int(rgdm_ob_mol_atom_count(handle.pointer))
            var generator = SeededGenerator(seed: 3)
            // Random points in a small box: many bounds and volumes violated at once.
            let x = (0..<(4 * n)).map { _ in Double.random(in: -3...3, using: &generator) }
            let weight = 0.3
            func error(_ x: [Double]) throws -> Double {
                var value = 0.0
                guard rgdm_ob_embedding_error(handle.pointer, x, weight, &value, nil) == 0 else {
                    throw ChemError.chemistry(OpenBabelLock.lastError)
                }
                return value
            }
            var value = 0.0
            var gradient = [Double](repeating: 0, count: 4 * n)
            #expect(rgdm_ob_embedding_error(handle.pointer, x, weight, &value, &gradient) == 0)
            #expect(value > 0)
            let h = 1e-6
            var worst = 0.0
            for k in 0..<(4 * n) {
                var plus = x, minus = x
                plus[k] += h
                minus[k] -= h
                let numeric = (try error(plus) - error(minus)) / (2 * h)
                worst = max(worst, abs(numeric - gradient[k]) / max(1, abs(numeric)))
            }
            #expect(worst < 1e-5, "largest relative gradient difference \(worst)")
        }
    }
}
