/// Validity as EDM computes it (qm9/rdkit_functions.py): build the molecule
/// from the distance-table bonds with neutral atoms, sanitise it the way
/// RDKit does — an atom whose bond-order sum exceeds its largest allowed
/// valence fails; one below takes implicit hydrogens up to the next allowed
/// valence — and keep the largest fragment. Its canonical SMILES is the key
/// for uniqueness and novelty: without stereochemistry, as EDM's RDKit
/// molecule has no conformer and no chiral tags, so stereoisomers of one
/// constitution are one molecule there.
public enum EDMValidity {
    /// RDKit's allowed valences for neutral atoms (nil: any valence).
    static let sanitizationValences: [Int: [Int]?] = [
        1: [1], 5: [3], 6: [4], 7: [3], 8: [2], 9: [1], 13: [3, 6], 14: [4], 15: [3, 5, 7], 16: [2, 4, 6],
        17: [1], 33: [3, 5, 7], 34: [2, 4, 6], 35: [1], 53: [1, 3, 5], 80: nil, 83: [3, 5, 7],
    ]

    /// The largest fragment of the sanitised molecule, with implicit
    /// hydrogens filled in, or nil when sanitisation fails.
    public static func sanitizedLargestFragment(of molecule: Molecule) -> Molecule? {
        var built = EDMBonds.assigningBonds(to: molecule)
        let sums = EDMStability.bondOrderSums(built.atoms, bonds: built.bonds)
        for i in built.atoms.indices {
            built.atoms[i].formalCharge = 0
            guard let allowed = sanitizationValences[built.atoms[i].element.atomicNumber] else { return nil }
            guard let valences = allowed else { continue }
            guard let target = valences.first(where: { $0 >= sums[i] }) else { return nil }
            built.atoms[i].implicitHydrogens = target - sums[i]
        }
        return largestFragment(of: built)
    }

    /// The canonical SMILES (constitution only, no stereo marks) of the
    /// sanitised largest fragment, or nil when invalid.
    public static func smiles(of molecule: Molecule) throws -> String? {
        guard let fragment = sanitizedLargestFragment(of: molecule) else { return nil }
        return try fragment.canonicalSMILES(stereo: false)
    }

    /// The connected component with the most atoms (the first such, by lowest atom index).
    static func largestFragment(of molecule: Molecule) -> Molecule {
        let n = molecule.atoms.count
        var component = [Int](repeating: -1, count: n)
        var neighbours = [[Int]](repeating: [], count: n)
        for bond in molecule.bonds {
            neighbours[bond.first].append(bond.second)
            neighbours[bond.second].append(bond.first)
        }
        var sizes: [Int] = []
        for start in 0..<n where component[start] < 0 {
            let label = sizes.count
            var stack = [start]
            component[start] = label
            var size = 0
            while let atom = stack.popLast() {
                size += 1
                for next in neighbours[atom] where component[next] < 0 {
                    component[next] = label
                    stack.append(next)
                }
            }
            sizes.append(size)
        }
        guard sizes.count > 1, let biggest = sizes.indices.max(by: { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 > $1) }) else {
            return molecule
        }
        var newIndex = [Int](repeating: -1, count: n)
        var fragment = molecule
        fragment.atoms = []
        for i in 0..<n where component[i] == biggest {
            newIndex[i] = fragment.atoms.count
            fragment.atoms.append(molecule.atoms[i])
        }
        fragment.bonds = molecule.bonds.compactMap { bond in
            guard component[bond.first] == biggest else { return nil }
            return Molecule.Bond(newIndex[bond.first], newIndex[bond.second], order: bond.order)
        }
        return fragment
    }
}
