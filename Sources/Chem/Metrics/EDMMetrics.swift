/// The EDM protocol's figures for a set of generated molecules (Hoogeboom
/// et al. 2022, Table 1): atom and molecule stability from the distance
/// table, then validity, uniqueness among valid and novelty among unique.
public struct EDMMetrics: Hashable, Sendable, Codable {
    public var count: Int
    public var atomStability: Double
    public var moleculeStability: Double
    public var validity: Double
    public var uniqueness: Double
    /// nil without a reference set.
    public var novelty: Double?

    public init(count: Int, atomStability: Double, moleculeStability: Double, validity: Double, uniqueness: Double,
                novelty: Double? = nil) {
        self.count = count
        self.atomStability = atomStability
        self.moleculeStability = moleculeStability
        self.validity = validity
        self.uniqueness = uniqueness
        self.novelty = novelty
    }

    enum CodingKeys: String, CodingKey {
        case count, atomStability = "atom_stability", moleculeStability = "molecule_stability"
        case validity, uniqueness, novelty
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(atomStability, forKey: .atomStability)
        try container.encode(moleculeStability, forKey: .moleculeStability)
        try container.encode(validity, forKey: .validity)
        try container.encode(uniqueness, forKey: .uniqueness)
        try container.encode(novelty, forKey: .novelty)  // null, not absent, without a reference
    }
}

/// Accumulates EDM metrics one molecule at a time, so a large file streams.
///
///     var evaluator = EDMEvaluator(reference: referenceSMILES)
///     for molecule in molecules { try evaluator.add(molecule) }
///     let metrics = evaluator.metrics
public struct EDMEvaluator: Sendable {
    /// Canonical SMILES (as `EDMValidity.smiles(of:)` gives them) of the reference set.
    public let reference: Set<String>?
    public private(set) var count = 0
    public private(set) var atoms = 0
    public private(set) var stableAtoms = 0
    public private(set) var stableMolecules = 0
    /// Canonical SMILES of each valid molecule, in order.
    public private(set) var validSMILES: [String] = []

    public init(reference: Set<String>? = nil) { self.reference = reference }

    /// Scores one molecule from its elements and coordinates.
    public mutating func add(_ molecule: Molecule) throws {
        let stability = EDMStability(of: molecule)
        add(stability: stability, smiles: try EDMValidity.smiles(of: molecule))
    }

    /// Adds a molecule already scored (for example by a worker process).
    public mutating func add(stability: EDMStability, smiles: String?) {
        count += 1
        atoms += stability.atoms
        stableAtoms += stability.stableAtoms
        if stability.isStable { stableMolecules += 1 }
        if let smiles { validSMILES.append(smiles) }
    }

    public var metrics: EDMMetrics {
        let unique = Set(validSMILES)
        let validity = count > 0 ? Double(validSMILES.count) / Double(count) : 0
        let uniqueness = validSMILES.isEmpty ? 0 : Double(unique.count) / Double(validSMILES.count)
        var novelty: Double?
        if let reference {
            novelty = unique.isEmpty ? 0 : Double(unique.subtracting(reference).count) / Double(unique.count)
        }
        return EDMMetrics(count: count,
                          atomStability: atoms > 0 ? Double(stableAtoms) / Double(atoms) : 0,
                          moleculeStability: count > 0 ? Double(stableMolecules) / Double(count) : 0,
                          validity: validity, uniqueness: uniqueness, novelty: novelty)
    }
}
