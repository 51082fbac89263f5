/// Bounds on one record, checked on its text before Open Babel parses it
/// (for the formats rgdm delimits itself: SDF/MOL, XYZ, PDB, MOL2, SMILES)
/// and on the parsed molecule's atom count for the others. A record over a
/// limit is rejected with `ChemError.limitExceeded`; reading goes on.
///
/// Why: Open Babel's canonical SMILES and ring perception grow steeply with
/// size (a 5,000-atom chain takes 6 s, a 20,000-atom one over a minute, and
/// 200,000 atoms overflow its stack), and deeply nested branches send 3D
/// generation into runs of minutes. The defaults sit far above any molecule a
/// diffusion model is trained on (QM9 ≤ 29 atoms, GEOM-drugs ≤ 181, approved
/// drugs with hydrogens a few hundred) and far below those costs.
public struct RecordLimits: Hashable, Sendable {
    /// Atoms in one record (explicit hydrogens included where the file has them).
    public var atoms: Int
    /// Characters of one SMILES string (its title not included).
    public var smilesLength: Int
    /// Depth of nested parentheses (branches) in one SMILES string.
    public var branchDepth: Int
    /// Ring bonds open at the same time in one SMILES string.
    public var openRings: Int

    public init(atoms: Int = 1000, smilesLength: Int = 10_000, branchDepth: Int = 64, openRings: Int = 50) {
        self.atoms = atoms
        self.smilesLength = smilesLength
        self.branchDepth = branchDepth
        self.openRings = openRings
    }

    /// 1,000 atoms, 10,000 SMILES characters, 64 nested branches, 50 open ring bonds.
    public static let `default` = RecordLimits()

    /// The first limit `value` of `kind` breaks, as a problem on `line`.
    func check(_ kind: RecordLimit, _ value: Int, line: Int) -> RecordProblem? {
        let maximum: Int
        switch kind {
        case .atoms: maximum = atoms
        case .smilesLength: maximum = smilesLength
        case .branchDepth: maximum = branchDepth
        case .openRings: maximum = openRings
        }
        return value > maximum ? .limit(kind, value: value, maximum: maximum, line: line) : nil
    }
}

/// What a `RecordLimits` bound counts.
public enum RecordLimit: String, Hashable, Sendable, CustomStringConvertible {
    case atoms
    case smilesLength = "SMILES length"
    case branchDepth = "branch depth"
    case openRings = "open ring bonds"

    public var description: String { rawValue }

    /// `value` in words: "200000 atoms", "branches nested 300 deep"…
    func phrase(_ value: Int) -> String {
        switch self {
        case .atoms: return "\(value) atoms"
        case .smilesLength: return "a SMILES of \(value) characters"
        case .branchDepth: return "branches nested \(value) deep"
        case .openRings: return "\(value) ring bonds open at once"
        }
    }
}
