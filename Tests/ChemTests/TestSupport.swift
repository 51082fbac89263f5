import Foundation
import Testing
@testable import Chem

/// Paths of the committed fixtures and a scratch directory per test.
enum Fixture {
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            fatalError("missing fixture \(name)")
        }
        return url.path
    }

    /// A fresh temporary directory.
    static func scratch() -> String {
        let dir = NSTemporaryDirectory() + "rgdm-chem-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes `text` to a new file in a scratch directory and returns its path.
    static func file(_ name: String, _ text: String) -> String {
        let path = scratch() + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}

/// The largest coordinate difference between two molecules' atoms (∞ if the counts differ).
func largestPositionDifference(_ a: Molecule, _ b: Molecule) -> Double {
    guard a.atoms.count == b.atoms.count else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a.atoms, b.atoms) {
        let d = x.position - y.position
        worst = max(worst, abs(d.x), abs(d.y), abs(d.z))
    }
    return worst
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
    let worst = largestPositionDifference(a, b)
    #expect(worst <= tolerance, "largest coordinate difference \(worst) Å > \(tolerance)", sourceLocation: sourceLocation)
    if bonds { #expect(bondSet(a) == bondSet(b), sourceLocation: sourceLocation) }
}
