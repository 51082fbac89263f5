/// A molecule as a value: atoms, bonds, a title and SDF-style data fields.
///
/// Positions are in Å. Bond orders are Kekulé (1, 2, 3); `isAromatic` is
/// what Open Babel perceived and is informational: aromaticity is perceived
/// again from the Kekulé orders whenever the molecule goes back to Open Babel.
public struct Molecule: Hashable, Sendable {
    public struct Atom: Hashable, Sendable {
        public var element: Element
        /// Å; all zero when the molecule has no coordinates.
        public var position: SIMD3<Double>
        public var formalCharge: Int
        /// Hydrogens implied on this atom but not present as atoms (SMILES input).
        public var implicitHydrogens: Int

        public init(element: Element, position: SIMD3<Double> = .zero, formalCharge: Int = 0, implicitHydrogens: Int = 0) {
            self.element = element
            self.position = position
            self.formalCharge = formalCharge
            self.implicitHydrogens = implicitHydrogens
        }
    }

    public struct Bond: Hashable, Sendable {
        /// 0-based atom indices, `first < second` not required.
        public var first: Int
        public var second: Int
        /// 1, 2 or 3 (Kekulé); 0 for a zero-order contact.
        public var order: Int
        public var isAromatic: Bool

        public init(_ first: Int, _ second: Int, order: Int = 1, isAromatic: Bool = false) {
            self.first = first
            self.second = second
            self.order = order
            self.isAromatic = isAromatic
        }
    }

    /// One SDF data field ("> <name>" followed by its value).
    public struct Property: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Which coordinates the atoms carry.
    public enum Dimension: Int, Hashable, Sendable {
        case none = 0, planar = 2, spatial = 3
    }

    public var atoms: [Atom]
    public var bonds: [Bond]
    public var title: String
    public var properties: [Property]
    public var dimension: Dimension
    /// Stereocentres and double-bond configurations of a molecule without 3D
    /// coordinates (SMILES); empty for 3D structures, whose coordinates carry them.
    public var stereo: Stereo

    public init(atoms: [Atom] = [], bonds: [Bond] = [], title: String = "", properties: [Property] = [], dimension: Dimension = .spatial,
                stereo: Stereo = Stereo()) {
        self.atoms = atoms
        self.bonds = bonds
        self.title = title
        self.properties = properties
        self.dimension = dimension
        self.stereo = stereo
    }

    /// The value of the first data field called `name`, if any.
    public func property(_ name: String) -> String? {
        properties.first { $0.name == name }?.value
    }

    public var positions: [SIMD3<Double>] { atoms.map(\.position) }
    public var atomicNumbers: [Int] { atoms.map(\.element.atomicNumber) }

    /// Atoms counting implicit hydrogens as atoms (the molecular formula's size).
    public var fullAtomCount: Int { atoms.count + atoms.reduce(0) { $0 + $1.implicitHydrogens } }

    /// Sum of the formal charges.
    public var totalCharge: Int { atoms.reduce(0) { $0 + $1.formalCharge } }
}
