import Chem
import Diffusion

/// Turns one input molecule into a training-set entry: a 3D structure with
/// explicit hydrogens, its canonical SMILES and its property values.
struct MoleculePreparation {
    /// Data fields read as properties (QM9: its 15 computed properties).
    var propertyNames: [String]
    /// Used when a molecule has no 3D coordinates (SMILES input).
    var minimization: MinimizationOptions

    enum Failure: Error { case rejected(String) }

    /// The generator for record `record` of a run seeded with `seed`: a
    /// record's 3D structure depends on the seed and its index only, not on
    /// the worker count or on resuming.
    static func generator(seed: UInt64, record: Int) -> Xoshiro256StarStar {
        var base = Xoshiro256StarStar(seed: seed)
        return Xoshiro256StarStar(seed: base.next() ^ UInt64(record))
    }

    func prepare(_ molecule: Molecule, using generator: inout some RandomNumberGenerator) throws -> PreparedMolecule {
        var structure = molecule
        let hasCoordinates = molecule.dimension == .spatial && molecule.atoms.contains { $0.position != .zero }
        if !hasCoordinates {
            do {
                structure = try molecule.generating3D(minimization, using: &generator).molecule
            } catch let error as ChemError {
                throw Failure.rejected("3D generation failed: \(error)")
            }
        } else if molecule.atoms.contains(where: { $0.implicitHydrogens > 0 }) {
            structure = try molecule.addingHydrogens()
        }
        if let bad = structure.atoms.firstIndex(where: { $0.element.atomicNumber > 255 }) {
            throw Failure.rejected("atom \(bad + 1) has no uint8 atomic number")
        }
        let properties = propertyNames.map { name in molecule.property(name).flatMap { Double($0) } ?? .nan }
        return PreparedMolecule(structure, smiles: try smiles(of: molecule, structure: structure), properties: properties)
    }

    /// Canonical SMILES: the EDM metrics' key when the input is bare geometry
    /// (QM9: distance-table bonds, no stereo marks), so the set serves as a
    /// novelty reference; the input's own graph and stereo otherwise (the
    /// novelty loader drops stereo marks).
    func smiles(of molecule: Molecule, structure: Molecule) throws -> String {
        if molecule.bonds.isEmpty, molecule.atoms.count > 1 {
            if let smiles = try EDMValidity.smiles(of: structure) { return smiles }
            if let given = molecule.property("SMILES"), let parsed = try? Molecule(string: given, format: .smiles) {
                return try parsed.canonicalSMILES()
            }
            return try structure.perceivingBonds().canonicalSMILES()
        }
        return try molecule.canonicalSMILES()
    }
}
