import Chem

/// MMFF94 energy per atom of the generated geometry, negated so that higher is better:
/// r = −E_MMFF94 / atoms (kcal/mol per atom), on the sanitised largest fragment with its
/// generated coordinates and EDM's distance-table bonds. MMFF94 needs every hydrogen as
/// an atom, so a geometry whose valences were completed with implicit hydrogens fails,
/// as does one MMFF94 has no parameters for. Geometry-dependent: never cached.
public struct MMFF94Reward: MoleculeReward {
    public init() {}

    public var name: String { "mmff94" }
    public var dependsOnGraphOnly: Bool { false }

    public func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        molecules.map { molecule in
            ValidMolecule.fragment(of: molecule).flatMap { fragment in
                let missing = fragment.atoms.reduce(0) { $0 + $1.implicitHydrogens }
                guard missing == 0 else {
                    return .failure(.failed("mmff94: the geometry lacks \(missing) hydrogen(s) its valences need"))
                }
                do {
                    return .success(-(try fragment.energy(.mmff94)) / Double(fragment.atoms.count))
                } catch {
                    return .failure(.failed("mmff94: \(error)"))
                }
            }
        }
    }
}
