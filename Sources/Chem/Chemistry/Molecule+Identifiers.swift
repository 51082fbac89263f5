import COpenBabel

extension Molecule {
    /// Open Babel's canonical SMILES (aromatic, hydrogens implicit, no title).
    /// Two molecules with the same graph give the same string: the key for
    /// uniqueness and novelty.
    public func canonicalSMILES() throws -> String {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            return try OBMoleculeHandle.string(rgdm_ob_canonical_smiles(handle.pointer))
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
