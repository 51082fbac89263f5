import Foundation
import Testing
@testable import Chem

/// EDM's distance-table bonds, stability, validity, uniqueness and novelty on
/// hand-made geometries whose answers follow from the tables by hand.
@Suite(.serialized) struct EDMMetricsTests {
    func molecule(_ atoms: [(String, SIMD3<Double>)]) -> Molecule {
        Molecule(atoms: atoms.map { Molecule.Atom(element: Element(symbol: $0.0)!, position: $0.1) })
    }

    /// Methane: C–H 1.09 Å (109 pm, below 109 + 10) → four single bonds; H···H 1.78 Å (≥ 74 + 10) → none.
    var methane: Molecule {
        let d = 1.09 / 3.0.squareRoot()
        return molecule([("C", .zero), ("H", SIMD3(d, d, d)), ("H", SIMD3(-d, -d, d)),
                         ("H", SIMD3(-d, d, -d)), ("H", SIMD3(d, -d, -d))])
    }

    @Test func bondOrdersFollowTheTablesAndMargins() {
        let c = Element.carbon, n = Element.nitrogen, o = Element.oxygen, h = Element.hydrogen
        #expect(EDMBonds.order(c, c, distance: 1.54) == 1)   // 154 < 164
        #expect(EDMBonds.order(c, c, distance: 1.639) == 1)
        #expect(EDMBonds.order(c, c, distance: 1.64) == 0)   // not below 154 + 10
        #expect(EDMBonds.order(c, c, distance: 1.38) == 2)   // 138 < 134 + 5
        #expect(EDMBonds.order(c, c, distance: 1.22) == 3)   // 122 < 120 + 3
        #expect(EDMBonds.order(c, n, distance: 1.15) == 3)
        #expect(EDMBonds.order(o, c, distance: 1.21) == 2)   // symmetric lookup
        #expect(EDMBonds.order(h, h, distance: 0.74) == 1)
        #expect(EDMBonds.order(Element(symbol: "Na")!, c, distance: 1.0) == 0)  // not in the table
    }

    @Test func methaneIsStableAndValid() throws {
        let stability = EDMStability(of: methane)
        #expect(stability.stableAtoms == 5 && stability.isStable)
        #expect(try EDMValidity.smiles(of: methane) == "C")
    }

    @Test func stretchedBondMakesTwoAtomsUnstable() {
        var broken = methane
        broken.atoms[1].position *= 1.2   // C–H 1.31 Å > 1.19
        let stability = EDMStability(of: broken)
        #expect(stability.stableAtoms == 3)
        #expect(!stability.isStable)
    }

    @Test func underBondedAtomsTakeImplicitHydrogensOverBondedFail() throws {
        // A bare C–O pair at 1.43 Å: single bond; C takes 3 H, O takes 1 H → methanol, valid but unstable.
        let co = molecule([("C", .zero), ("O", SIMD3(1.43, 0, 0))])
        #expect(EDMStability(of: co).stableAtoms == 0)
        #expect(try EDMValidity.smiles(of: co) == "CO")
        // Oxygen with three close carbons: valence 3 > 2 → sanitisation fails.
        let overbonded = molecule([("O", .zero), ("C", SIMD3(1.43, 0, 0)), ("C", SIMD3(-0.7, 1.24, 0)), ("C", SIMD3(-0.7, -1.24, 0))])
        #expect(EDMValidity.sanitizedLargestFragment(of: overbonded) == nil)
    }

    @Test func largestFragmentIsKept() throws {
        var two = methane
        two.atoms.append(Molecule.Atom(element: .oxygen, position: SIMD3(10, 0, 0)))
        #expect(try EDMValidity.smiles(of: two) == "C")
    }

    @Test func uniquenessAndNoveltyCountDistinctSMILES() throws {
        let co = molecule([("C", .zero), ("O", SIMD3(1.43, 0, 0))])
        // O bonded to three carbons: O over-bonded (3 > 2) → invalid; no atom stable.
        let bad = molecule([("O", .zero), ("C", SIMD3(1.43, 0, 0)), ("C", SIMD3(-0.7, 1.24, 0)), ("C", SIMD3(-0.7, -1.24, 0))])
        var evaluator = EDMEvaluator(reference: ["C"])
        for m in [methane, methane, co, bad] { try evaluator.add(m) }
        let metrics = evaluator.metrics
        #expect(metrics.count == 4)
        #expect(metrics.moleculeStability == 0.5)
        #expect(metrics.atomStability == 10.0 / 16.0)
        #expect(metrics.validity == 0.75)
        #expect(metrics.uniqueness == 2.0 / 3.0)
        #expect(metrics.novelty == 0.5)
        #expect(EDMEvaluator().metrics.novelty == nil)
    }

    /// EDM's RDKit molecules carry no stereo, so two mirror images are one molecule for
    /// uniqueness and novelty, though Open Babel tells them apart from the coordinates.
    @Test func enantiomersShareTheirEDMSMILES() throws {
        // CHFClBr on the tetrahedron's axes, bonds at the tables' single-bond lengths.
        let axes: [SIMD3<Double>] = [SIMD3(1, 1, 1), SIMD3(-1, -1, 1), SIMD3(-1, 1, -1), SIMD3(1, -1, -1)].map { $0 / 3.0.squareRoot() }
        func chiral(mirror: Bool) -> Molecule {
            let flip = SIMD3<Double>(mirror ? -1 : 1, 1, 1)
            return molecule([("C", .zero), ("H", 1.09 * axes[0] * flip), ("F", 1.35 * axes[1] * flip),
                             ("Cl", 1.77 * axes[2] * flip), ("Br", 1.94 * axes[3] * flip)])
        }
        let left = try #require(try EDMValidity.smiles(of: chiral(mirror: false)))
        let right = try #require(try EDMValidity.smiles(of: chiral(mirror: true)))
        #expect(left == right && !left.contains("@"), "\(left) vs \(right)")
        let withStereo = try EDMBonds.assigningBonds(to: chiral(mirror: false)).canonicalSMILES()
        let mirrored = try EDMBonds.assigningBonds(to: chiral(mirror: true)).canonicalSMILES()
        #expect(withStereo.contains("@") && withStereo != mirrored, "\(withStereo) vs \(mirrored)")
        var evaluator = EDMEvaluator(reference: [left])
        for m in [chiral(mirror: false), chiral(mirror: true)] { try evaluator.add(m) }
        #expect(evaluator.metrics.uniqueness == 0.5 && evaluator.metrics.novelty == 0)
    }

    @Test func jsonHasTheDocumentedKeysAndNullNovelty() throws {
        var evaluator = EDMEvaluator()
        try evaluator.add(methane)
        let data = try JSONEncoder().encode(evaluator.metrics)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == ["count", "atom_stability", "molecule_stability", "validity", "uniqueness", "novelty"])
        #expect(object?["novelty"] is NSNull)
    }

    /// The QM9 sample's DFT geometries: nearly every atom stable (EDM's data row is 99.0% / 95.2%).
    @Test func qm9SampleIsMostlyStable() throws {
        var evaluator = EDMEvaluator()
        for record in try QM9CSVReader(path: Fixture.path("qm9-sample.csv")) { try evaluator.add(record.get().molecule) }
        #expect(evaluator.metrics.count == 60)
        #expect(evaluator.metrics.atomStability > 0.98)
        #expect(evaluator.metrics.validity > 0.9)
    }
}
