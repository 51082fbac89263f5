/// A chemical element, identified by its atomic number (1…118).
public struct Element: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let atomicNumber: Int

    /// The element with this atomic number, or nil outside 1…118.
    public init?(atomicNumber: Int) {
        guard (1...Element.symbols.count).contains(atomicNumber) else { return nil }
        self.atomicNumber = atomicNumber
    }

    /// The element with this symbol ("C", "Cl"; case-insensitive), or nil.
    public init?(symbol: String) {
        let wanted = symbol.lowercased()
        guard let index = Element.symbols.firstIndex(where: { $0.lowercased() == wanted }) else { return nil }
        self.atomicNumber = index + 1
    }

    private init(unchecked atomicNumber: Int) { self.atomicNumber = atomicNumber }

    public var symbol: String { Element.symbols[atomicNumber - 1] }
    public var description: String { symbol }

    public static func < (a: Element, b: Element) -> Bool { a.atomicNumber < b.atomicNumber }

    public static let hydrogen = Element(unchecked: 1)
    public static let carbon = Element(unchecked: 6)
    public static let nitrogen = Element(unchecked: 7)
    public static let oxygen = Element(unchecked: 8)
    public static let fluorine = Element(unchecked: 9)

    static let symbols = [
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
        "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
        "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe",
        "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
        "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn",
        "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr",
        "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
    ]
}
