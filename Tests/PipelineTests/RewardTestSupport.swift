import Chem
import Foundation
@testable import Pipeline

/// Helpers of the reward tests: QM9 geometries, scratch directories that are removed, small
/// scripts, and a reward whose answers a test sets.
enum RewardTestSupport {
    /// Records of the committed QM9 subset (3D geometries, bonds from the CSV's SMILES ignored
    /// by every reward: they read the coordinates).
    static func qm9(_ indices: [Int]) throws -> [Molecule] {
        let wanted = Set(indices)
        var found: [Int: Molecule] = [:]
        for (i, record) in try MoleculeInput.records([MoleculesCommandTests.subset], format: nil).enumerated() {
            if wanted.contains(i) { found[i] = try record.get() }
            if found.count == wanted.count { break }
        }
        return indices.compactMap { found[$0] }
    }

    /// Runs `body` with a fresh directory, removed afterwards.
    static func withScratch<T>(_ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rgdm-rewards-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// An executable script at `directory/name` with `text` (starting with its #! line).
    static func script(_ name: String, in directory: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// Water and methane at their GFN2-xTB-like equilibrium geometries (Å).
    static let water = Molecule(atoms: [
        Molecule.Atom(element: .oxygen, position: SIMD3(0, 0, 0.1173)),
        Molecule.Atom(element: .hydrogen, position: SIMD3(0, 0.7572, -0.4692)),
        Molecule.Atom(element: .hydrogen, position: SIMD3(0, -0.7572, -0.4692)),
    ])
    static let methane = Molecule(atoms: [
        Molecule.Atom(element: .carbon, position: SIMD3(0, 0, 0)),
        Molecule.Atom(element: .hydrogen, position: SIMD3(0.6291, 0.6291, 0.6291)),
        Molecule.Atom(element: .hydrogen, position: SIMD3(-0.6291, -0.6291, 0.6291)),
        Molecule.Atom(element: .hydrogen, position: SIMD3(-0.6291, 0.6291, -0.6291)),
        Molecule.Atom(element: .hydrogen, position: SIMD3(0.6291, -0.6291, -0.6291)),
    ])
    /// Carbon with five hydrogens at bonding distance: EDM's sanitisation rejects it.
    static let pentavalentCarbon = Molecule(atoms: [Molecule.Atom(element: .carbon, position: .zero)] + [
        SIMD3(1.09, 0, 0), SIMD3(-1.09, 0, 0), SIMD3(0, 1.09, 0), SIMD3(0, -1.09, 0), SIMD3(0, 0, 1.09),
    ].map { Molecule.Atom(element: .hydrogen, position: $0) })
}

/// Counts how often it is asked, across copies of the rewards holding it.
final class CallCounter: @unchecked Sendable {
    private(set) var samples = 0
    func add(_ count: Int) { samples += count }
}

/// A reward on strings whose outcome per sample a test sets: a number reads as itself,
/// "invalid" as an invalid molecule, "nan" as NaN.
struct TableReward: Reward {
    var name = "table"
    var dependsOnGraphOnly = true
    var counter = CallCounter()

    func score(_ samples: [String]) -> [RewardOutcome] {
        counter.add(samples.count)
        return samples.map { sample in
            if sample == "invalid" { return .failure(.invalidMolecule("test")) }
            return Double(sample).map { .success($0) } ?? .failure(.failed("not a number: \(sample)"))
        }
    }
}
