import Foundation
import Testing
import TestSupport
@testable import Chem

/// Paths of the committed fixtures and scratch files for the Chem tests.
enum Fixture {
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            fatalError("missing fixture \(name)")
        }
        return url.path
    }

    /// A new directory for this test, removed when it ends (the suite carries `.temporaryDirectories`).
    static func scratch() throws -> String {
        try TemporaryDirectory.create("chem").path
    }

    /// Writes `text` to a new file in a scratch directory and returns its path.
    static func file(_ name: String, _ text: String) throws -> String {
        let path = try scratch() + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}

/// The atoms' coordinates, x y z after x y z.
func coordinates(_ molecule: Molecule) -> [Double] {
    molecule.atoms.flatMap { [$0.position.x, $0.position.y, $0.position.z] }
}

/// Bonds as a comparable set of (low index, high index, order).
func bondSet(_ molecule: Molecule) -> Set<[Int]> {
    Set(molecule.bonds.map { [min($0.first, $0.second), max($0.first, $0.second), $0.order] })
}

/// Bonded atom pairs (low index, high index), orders ignored.
func bondPairs(_ molecule: Molecule) -> Set<[Int]> {
    Set(molecule.bonds.map { [min($0.first, $0.second), max($0.first, $0.second)] })
}

/// Expects `a` and `b` to hold the same atoms (elements, charges), coordinates
/// within `tolerance` Å (reporting the largest difference) and the same bonds.
func expectSameMolecule(_ a: Molecule, _ b: Molecule, tolerance: Double = 1e-4, bonds: Bool = true,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.atoms.map(\.element) == b.atoms.map(\.element), sourceLocation: sourceLocation)
    #expect(a.atoms.map(\.formalCharge) == b.atoms.map(\.formalCharge), sourceLocation: sourceLocation)
    expectClose(coordinates(a), coordinates(b), tolerance: tolerance, "coordinates (Å)", sourceLocation: sourceLocation)
    if bonds { #expect(bondSet(a) == bondSet(b), sourceLocation: sourceLocation) }
}
