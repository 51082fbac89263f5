import Chem

/// What the molecule rewards see of a generated molecule: EDM's sanitised largest fragment
/// (bonds from the distance table, neutral atoms, implicit hydrogens filled in, as
/// `EDMValidity` builds it) and its canonical SMILES, the key of graph-only rewards.
/// A molecule that fails sanitisation is an `.invalidMolecule` failure for every
/// property reward; only the EDM criteria (validity, stability) score it.
enum ValidMolecule {
    /// The sanitised largest fragment of `molecule`, or why there is none.
    static func fragment(of molecule: Molecule) -> Result<Molecule, RewardFailure> {
        guard !molecule.atoms.isEmpty else { return .failure(.invalidMolecule("no atoms")) }
        guard hasFiniteCoordinates(molecule) else { return .failure(nonFinite) }
        guard let fragment = EDMValidity.sanitizedLargestFragment(of: molecule) else {
            return .failure(.invalidMolecule("an atom exceeds its allowed valence or has no valence table (EDM sanitisation)"))
        }
        return .success(fragment)
    }

    /// Whether every coordinate is finite (a diverged sampling chain gives NaN).
    static func hasFiniteCoordinates(_ molecule: Molecule) -> Bool {
        molecule.atoms.allSatisfy { $0.position.x.isFinite && $0.position.y.isFinite && $0.position.z.isFinite }
    }

    /// The failure of a molecule with a non-finite coordinate.
    static let nonFinite = RewardFailure.invalidMolecule("a coordinate is not finite (the sampling chain diverged)")

    /// The canonical SMILES (constitution only) of the sanitised largest fragment, as
    /// `EDMValidity.smiles(of:)` computes it for the EDM metrics.
    static func smiles(of molecule: Molecule) -> Result<String, RewardFailure> {
        fragment(of: molecule).flatMap { fragment in
            do {
                return .success(try fragment.canonicalSMILES(stereo: false))
            } catch {
                return .failure(.invalidMolecule("no canonical SMILES: \(error)"))
            }
        }
    }

    /// The molecule a chemist gets from the canonical SMILES of `molecule`: graph-only
    /// properties are computed on it, so they match what any tool computes from that SMILES.
    static func graph(of molecule: Molecule) -> Result<Molecule, RewardFailure> {
        smiles(of: molecule).flatMap { smiles in
            do {
                return .success(try Molecule(string: smiles, format: .smiles))
            } catch {
                return .failure(.invalidMolecule("its SMILES \(smiles) does not read back: \(error)"))
            }
        }
    }
}
