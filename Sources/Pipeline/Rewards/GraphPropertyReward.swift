import Chem

/// A property of the molecular graph alone, computed by Open Babel on the molecule read
/// back from the canonical SMILES of the valid molecule (`ValidMolecule.graph(of:)`).
public enum GraphProperty: String, CaseIterable, Codable, Sendable {
    /// Quantitative estimate of drug-likeness, 0…1 (Bickerton et al. 2012, `Molecule.qed()`).
    case qed
    /// Open Babel's group-contribution logP (Wildman & Crippen's atom types).
    case logP = "logp"
    /// Topological polar surface area, Å² (Ertl et al. 2000).
    case tpsa
    /// Molecular weight, g/mol, hydrogens included.
    case molecularWeight = "mw"

    /// The property of `graph` (a molecule read from SMILES).
    public func value(of graph: Molecule) throws -> Double {
        switch self {
        case .qed: try graph.qed()
        case .logP: try graph.descriptors().logP
        case .tpsa: try graph.descriptors().tpsa
        case .molecularWeight: try graph.descriptors().molecularWeight
        }
    }
}

/// A graph-only molecule reward (QED, logP, TPSA, molecular weight): cached by canonical
/// SMILES within a run (`RewardSession`). Open Babel is serial inside one process, so
/// `WorkerReward` spreads large batches over worker processes.
public struct GraphPropertyReward: MoleculeReward {
    public let property: GraphProperty

    public init(_ property: GraphProperty) { self.property = property }

    public var name: String { property.rawValue }
    public var dependsOnGraphOnly: Bool { true }

    public func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        molecules.map { molecule in
            ValidMolecule.graph(of: molecule).flatMap { graph in
                do {
                    return .success(try property.value(of: graph))
                } catch {
                    return .failure(.failed("\(property.rawValue): \(error)"))
                }
            }
        }
    }
}
