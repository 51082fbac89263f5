import COpenBabel

extension Molecule {
    /// Implicit hydrogens made explicit atoms (placed in 3D when the molecule has coordinates).
    public func addingHydrogens() throws -> Molecule {
        try transformed { rgdm_ob_add_hydrogens($0) }
    }

    /// Hydrogen atoms folded back into implicit counts.
    public func removingHydrogens() throws -> Molecule {
        try transformed { rgdm_ob_delete_hydrogens($0) }
    }

    /// Bonds perceived by Open Babel from the coordinates alone
    /// (ConnectTheDots, then PerceiveBondOrders); existing bonds are dropped.
    /// For the EDM distance-table rule, see `EDMBonds`.
    public func perceivingBonds() throws -> Molecule {
        try transformed { rgdm_ob_perceive_bonds($0) }
    }

    /// Runs one shim operation on an OBMol copy of the molecule and reads it back.
    func transformed(_ operation: (OpaquePointer) -> Int32) throws -> Molecule {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            guard operation(handle.pointer) == 0 else { throw ChemError.chemistry(OpenBabelLock.lastError) }
            var result = handle.molecule().molecule
            result.properties = properties
            return result
        }
    }
}
