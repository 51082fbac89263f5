import COpenBabel

/// Whole-molecule descriptors computed by Open Babel.
public struct Descriptors: Hashable, Sendable, Codable {
    /// g/mol, implicit hydrogens included.
    public var molecularWeight: Double
    /// Open Babel's group-contribution logP.
    public var logP: Double
    /// Topological polar surface area, Å² (Ertl et al. 2000).
    public var tpsa: Double
    public var molarRefractivity: Double
    public var hBondDonors: Int
    public var hBondAcceptors: Int
    public var rotatableBonds: Int
    /// Smallest set of smallest rings.
    public var rings: Int
    public var aromaticRings: Int
    public var heavyAtoms: Int
}

extension Molecule {
    /// Open Babel's descriptors of this molecule's graph.
    public func descriptors() throws -> Descriptors {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            var raw = rgdm_ob_descriptors()
            guard rgdm_ob_descriptors_compute(handle.pointer, &raw) == 0 else { throw ChemError.chemistry(OpenBabelLock.lastError) }
            return Descriptors(molecularWeight: raw.molecular_weight, logP: raw.logp, tpsa: raw.tpsa,
                               molarRefractivity: raw.molar_refractivity, hBondDonors: Int(raw.hbond_donors),
                               hBondAcceptors: Int(raw.hbond_acceptors), rotatableBonds: Int(raw.rotatable_bonds),
                               rings: Int(raw.rings), aromaticRings: Int(raw.aromatic_rings), heavyAtoms: Int(raw.heavy_atoms))
        }
    }

    /// Unique matches of a SMARTS pattern in the molecule (hydrogens as they are).
    public func matchCount(smarts: String) throws -> Int {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            let count = rgdm_ob_smarts_count(handle.pointer, smarts)
            guard count >= 0 else { throw ChemError.chemistry(OpenBabelLock.lastError) }
            return Int(count)
        }
    }
}
