/// Atom and molecule stability as EDM defines them (Hoogeboom et al. 2022,
/// qm9/analyze.py `check_stability`): with bonds from the distance table
/// (`EDMBonds`), an atom is stable when its bond-order sum is one of its
/// element's allowed valences (H 1, C 4, N 3, O 2, F 1, …); a molecule is
/// stable when all its atoms are. Charges are ignored, as in EDM.
public struct EDMStability: Hashable, Sendable {
    public var stableAtoms: Int
    public var atoms: Int
    public var isStable: Bool { stableAtoms == atoms }

    public init(stableAtoms: Int, atoms: Int) {
        self.stableAtoms = stableAtoms
        self.atoms = atoms
    }

    /// Stability of `molecule` from its coordinates alone (its own bonds are ignored).
    public init(of molecule: Molecule) {
        let valences = EDMStability.bondOrderSums(molecule.atoms, bonds: EDMBonds.bonds(of: molecule))
        var stable = 0
        for (atom, valence) in zip(molecule.atoms, valences) {
            if EDMBonds.allowedValences[atom.element.atomicNumber]?.contains(valence) == true { stable += 1 }
        }
        stableAtoms = stable
        atoms = molecule.atoms.count
    }

    /// Per atom, the sum of the orders of its bonds.
    static func bondOrderSums(_ atoms: [Molecule.Atom], bonds: [Molecule.Bond]) -> [Int] {
        var sums = [Int](repeating: 0, count: atoms.count)
        for bond in bonds {
            sums[bond.first] += bond.order
            sums[bond.second] += bond.order
        }
        return sums
    }
}
