/// Bonds from bare 3D coordinates by the distance-table rule of EDM
/// (Hoogeboom et al., "Equivariant Diffusion for Molecule Generation in 3D",
/// ICML 2022; tables as in its qm9/bond_analyze.py): a pair is bonded with
/// order 3, 2 or 1 when its distance is below the reference triple, double
/// or single bond length plus a margin of 3, 5 or 10 pm. Pairs missing from
/// the single-bond table never bond.
public enum EDMBonds {
    /// Margins in pm added to the single, double and triple reference lengths.
    public static let margins = (single: 10, double: 5, triple: 3)

    /// The bond order (0…3) EDM assigns to two atoms `distance` Å apart.
    public static func order(_ a: Element, _ b: Element, distance: Double) -> Int {
        let key = pairKey(a, b)
        guard let single = singleLengths[key] else { return 0 }
        let pm = 100 * distance
        guard pm < Double(single + margins.single) else { return 0 }
        guard let double = doubleLengths[key], pm < Double(double + margins.double) else { return 1 }
        guard let triple = tripleLengths[key], pm < Double(triple + margins.triple) else { return 2 }
        return 3
    }

    /// Every bonded pair (i < j) of `molecule` by the distance table, with its order.
    /// Complexity: O(atoms²).
    public static func bonds(of molecule: Molecule) -> [Molecule.Bond] {
        let atoms = molecule.atoms
        var bonds: [Molecule.Bond] = []
        for i in 0..<atoms.count {
            for j in (i + 1)..<atoms.count {
                let d = atoms[i].position - atoms[j].position
                let distance = (d * d).sum().squareRoot()
                let order = order(atoms[i].element, atoms[j].element, distance: distance)
                if order > 0 { bonds.append(Molecule.Bond(i, j, order: order)) }
            }
        }
        return bonds
    }

    /// The molecule with its bonds replaced by the distance-table bonds.
    public static func assigningBonds(to molecule: Molecule) -> Molecule {
        var result = molecule
        result.bonds = bonds(of: molecule)
        for i in result.atoms.indices { result.atoms[i].implicitHydrogens = 0 }
        return result
    }

    /// Valences an atom may have to count as stable (EDM's allowed_bonds).
    public static let allowedValences: [Int: [Int]] = [
        1: [1], 5: [3], 6: [4], 7: [3], 8: [2], 9: [1], 13: [3], 14: [4], 15: [3, 5],
        16: [4], 17: [1], 33: [3], 35: [1], 53: [1], 80: [1, 2], 83: [3, 5],
    ]

    static func pairKey(_ a: Element, _ b: Element) -> Int {
        let (low, high) = a.atomicNumber <= b.atomicNumber ? (a.atomicNumber, b.atomicNumber) : (b.atomicNumber, a.atomicNumber)
        return low * 256 + high
    }

    private static func table(_ rows: [(String, String, Int)]) -> [Int: Int] {
        var table: [Int: Int] = [:]
        for (a, b, length) in rows {
            guard let ea = Element(symbol: a), let eb = Element(symbol: b) else { continue }
            table[pairKey(ea, eb)] = length
        }
        return table
    }

    /// Reference single-bond lengths, pm.
    static let singleLengths = table([
        ("H", "H", 74), ("H", "C", 109), ("H", "N", 101), ("H", "O", 96), ("H", "F", 92), ("H", "B", 119),
        ("H", "Si", 148), ("H", "P", 144), ("H", "As", 152), ("H", "S", 134), ("H", "Cl", 127), ("H", "Br", 141),
        ("H", "I", 161),
        ("C", "C", 154), ("C", "N", 147), ("C", "O", 143), ("C", "F", 135), ("C", "Si", 185), ("C", "P", 184),
        ("C", "S", 182), ("C", "Cl", 177), ("C", "Br", 194), ("C", "I", 214),
        ("N", "N", 145), ("N", "O", 140), ("N", "F", 136), ("N", "Cl", 175), ("N", "Br", 214), ("N", "S", 168),
        ("N", "I", 222), ("N", "P", 177),
        ("O", "O", 148), ("O", "F", 142), ("O", "Br", 172), ("O", "S", 151), ("O", "P", 163), ("O", "Si", 163),
        ("O", "Cl", 164), ("O", "I", 194),
        ("F", "F", 142), ("F", "S", 158), ("F", "Si", 160), ("F", "Cl", 166), ("F", "Br", 178), ("F", "P", 156),
        ("F", "I", 187),
        ("B", "Cl", 175),
        ("Si", "Si", 233), ("Si", "S", 200), ("Si", "Cl", 202), ("Si", "Br", 215), ("Si", "I", 243),
        ("Cl", "Cl", 199), ("Cl", "P", 203), ("Cl", "S", 207), ("Cl", "Br", 214),
        ("S", "S", 204), ("S", "Br", 225), ("S", "P", 210), ("S", "I", 234),
        ("Br", "Br", 228), ("Br", "P", 222),
        ("P", "P", 221),
        ("I", "I", 266),
    ])

    /// Reference double-bond lengths, pm.
    static let doubleLengths = table([
        ("C", "C", 134), ("C", "N", 129), ("C", "O", 120), ("C", "S", 160), ("N", "N", 125), ("N", "O", 121),
        ("O", "O", 121), ("O", "P", 150), ("P", "S", 186),
    ])

    /// Reference triple-bond lengths, pm.
    static let tripleLengths = table([("C", "C", 120), ("C", "N", 116), ("C", "O", 113), ("N", "N", 110)])
}
