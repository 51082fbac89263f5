import Chem

/// One of EDM's per-molecule criteria (Hoogeboom et al. 2022), as the EDM metrics count
/// them (`EDMEvaluator`): every molecule gets a score, invalid ones included.
public enum EDMCriterion: String, CaseIterable, Codable, Sendable {
    /// The fraction of atoms whose bond-order sum is an allowed valence (`EDMStability`).
    case atomStability = "atom-stability"
    /// 1 when every atom is stable, else 0.
    case moleculeStability = "molecule-stability"
    /// 1 when EDM's sanitisation accepts the molecule (`EDMValidity`), else 0.
    case validity

    public func value(of molecule: Molecule) -> Double {
        switch self {
        case .atomStability:
            let stability = EDMStability(of: molecule)
            return stability.atoms > 0 ? Double(stability.stableAtoms) / Double(stability.atoms) : 0
        case .moleculeStability:
            return !molecule.atoms.isEmpty && EDMStability(of: molecule).isStable ? 1 : 0
        case .validity:
            return (try? ValidMolecule.fragment(of: molecule).get()) != nil ? 1 : 0
        }
    }
}

/// An EDM criterion as a reward. It reads the geometry (bonds from the distance table),
/// so it is not cached by SMILES; it needs no Open Babel and costs microseconds a molecule.
public struct EDMCriterionReward: MoleculeReward {
    public let criterion: EDMCriterion

    public init(_ criterion: EDMCriterion) { self.criterion = criterion }

    public var name: String { criterion.rawValue }
    public var dependsOnGraphOnly: Bool { false }

    public func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        molecules.map { .success(criterion.value(of: $0)) }
    }
}
