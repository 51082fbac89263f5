import COpenBabel

extension Molecule {
    /// Open Babel's canonical SMILES (aromatic, hydrogens implicit, no title).
    /// Two molecules with the same graph give the same string. With `stereo`
    /// (the default) it keeps the molecule's tetrahedral and cis/trans
    /// stereochemistry (for a 3D structure, as perceived from the coordinates);
    /// without, it is the constitution only, the key of EDM's uniqueness and
    /// novelty (`EDMValidity.smiles`).
    public func canonicalSMILES(stereo: Bool = true) throws -> String {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            return try OBMoleculeHandle.string(rgdm_ob_canonical_smiles(handle.pointer, stereo ? 1 : 0))
        }
    }

    /// Standard InChI ("InChI=1S/…").
    public func inchi() throws -> String {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            return try OBMoleculeHandle.string(rgdm_ob_inchi(handle.pointer, 0))
        }
    }

    /// Standard InChIKey (27 characters).
    public func inchiKey() throws -> String {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            return try OBMoleculeHandle.string(rgdm_ob_inchi(handle.pointer, 1))
        }
    }
}
