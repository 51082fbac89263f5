import COpenBabel

/// Owns one Open Babel molecule (OBMol) for the duration of a locked call
/// sequence. Internal: the public API speaks `Molecule` only.
final class OBMoleculeHandle {
    let pointer: OpaquePointer

    /// A new empty OBMol. Call inside `OpenBabelLock.run`.
    init() {
        pointer = rgdm_ob_mol_new()
    }

    /// An OBMol holding `molecule`. Call inside `OpenBabelLock.run`.
    convenience init(_ molecule: Molecule) throws {
        self.init()
        try set(molecule)
    }

    deinit {
        let pointer = self.pointer
        OpenBabelLock.run { rgdm_ob_mol_free(pointer) }
    }

    /// Replaces the OBMol's contents with `molecule`.
    func set(_ molecule: Molecule) throws {
        let n = molecule.atoms.count
        var numbers = [Int32](repeating: 0, count: n)
        var positions = [Double](repeating: 0, count: 3 * n)
        var charges = [Int32](repeating: 0, count: n)
        var implicit = [Int32](repeating: 0, count: n)
        for (i, atom) in molecule.atoms.enumerated() {
            numbers[i] = Int32(atom.element.atomicNumber)
            positions[3 * i] = atom.position.x
            positions[3 * i + 1] = atom.position.y
            positions[3 * i + 2] = atom.position.z
            charges[i] = Int32(atom.formalCharge)
            implicit[i] = Int32(atom.implicitHydrogens)
        }
        let begin = molecule.bonds.map { Int32($0.first) }
        let end = molecule.bonds.map { Int32($0.second) }
        let order = molecule.bonds.map { Int32($0.order) }
        let aromatic = molecule.bonds.map { UInt8($0.isAromatic ? 1 : 0) }
        let status = rgdm_ob_mol_set(pointer, Int32(n), numbers, positions, charges, implicit,
                                     Int32(molecule.bonds.count), begin, end, order, aromatic,
                                     molecule.title, Int32(molecule.dimension.rawValue))
        guard status == 0 else { throw ChemError.openBabel(OpenBabelLock.lastError) }
        for property in molecule.properties {
            rgdm_ob_mol_add_data(pointer, property.name, property.value)
        }
        if molecule.dimension != .spatial && !molecule.stereo.isEmpty {
            try setStereo(molecule.stereo)
        }
    }

    private func setStereo(_ stereo: Molecule.Stereo) throws {
        let index = { (atom: Int?) in Int32(atom ?? -1) }
        let tetrahedral = stereo.tetrahedral.flatMap { [Int32($0.centre)] + $0.neighbours.map(index) }
        let cisTrans = stereo.cisTrans.flatMap { [Int32($0.begin), Int32($0.end)] + $0.neighbours.map(index) }
        guard rgdm_ob_mol_set_stereo(pointer, Int32(stereo.tetrahedral.count), tetrahedral,
                                     Int32(stereo.cisTrans.count), cisTrans) == 0 else {
            throw ChemError.openBabel(OpenBabelLock.lastError)
        }
    }

    /// The stereo units Open Babel holds for a 0D/2D molecule (none for 3D).
    private func stereo() -> Molecule.Stereo {
        var tetrahedralCount: Int32 = 0, cisTransCount: Int32 = 0
        rgdm_ob_mol_stereo_count(pointer, &tetrahedralCount, &cisTransCount)
        guard tetrahedralCount + cisTransCount > 0 else { return Molecule.Stereo() }
        var tetrahedral = [Int32](repeating: 0, count: 5 * Int(tetrahedralCount))
        var cisTrans = [Int32](repeating: 0, count: 6 * Int(cisTransCount))
        rgdm_ob_mol_get_stereo(pointer, &tetrahedral, &cisTrans)
        let atom = { (value: Int32) -> Int? in value < 0 ? nil : Int(value) }
        return Molecule.Stereo(
            tetrahedral: (0..<Int(tetrahedralCount)).map { i in
                Molecule.Stereo.Tetrahedral(centre: Int(tetrahedral[5 * i]), neighbours: tetrahedral[(5 * i + 1)..<(5 * i + 5)].map(atom))
            },
            cisTrans: (0..<Int(cisTransCount)).map { i in
                Molecule.Stereo.CisTrans(begin: Int(cisTrans[6 * i]), end: Int(cisTrans[6 * i + 1]),
                                         neighbours: cisTrans[(6 * i + 2)..<(6 * i + 6)].map(atom))
            })
    }

    /// The OBMol as a `Molecule`. Atomic number 0 (unknown element) maps to
    /// nil in `unknownElementAtoms`; the caller decides what that means.
    func molecule() -> (molecule: Molecule, unknownElementAtoms: [Int]) {
        let n = Int(rgdm_ob_mol_atom_count(pointer))
        let m = Int(rgdm_ob_mol_bond_count(pointer))
        var numbers = [Int32](repeating: 0, count: n)
        var positions = [Double](repeating: 0, count: 3 * n)
        var charges = [Int32](repeating: 0, count: n)
        var implicit = [Int32](repeating: 0, count: n)
        rgdm_ob_mol_get_atoms(pointer, &numbers, &positions, &charges, &implicit)
        var begin = [Int32](repeating: 0, count: m)
        var end = [Int32](repeating: 0, count: m)
        var order = [Int32](repeating: 0, count: m)
        var aromatic = [UInt8](repeating: 0, count: m)
        rgdm_ob_mol_get_bonds(pointer, &begin, &end, &order, &aromatic)

        var unknown: [Int] = []
        var atoms: [Molecule.Atom] = []
        atoms.reserveCapacity(n)
        for i in 0..<n {
            let element: Element
            if let known = Element(atomicNumber: Int(numbers[i])) {
                element = known
            } else {
                unknown.append(i)
                element = .hydrogen  // placeholder; the caller rejects the molecule
            }
            atoms.append(Molecule.Atom(element: element,
                                       position: SIMD3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]),
                                       formalCharge: Int(charges[i]), implicitHydrogens: Int(implicit[i])))
        }
        let bonds = (0..<m).map { Molecule.Bond(Int(begin[$0]), Int(end[$0]), order: Int(order[$0]), isAromatic: aromatic[$0] != 0) }
        var properties: [Molecule.Property] = []
        for k in 0..<rgdm_ob_mol_data_count(pointer) {
            properties.append(Molecule.Property(name: String(cString: rgdm_ob_mol_data_key(pointer, k)),
                                                value: String(cString: rgdm_ob_mol_data_value(pointer, k))))
        }
        let dimension = Molecule.Dimension(rawValue: Int(rgdm_ob_mol_dimension(pointer))) ?? .spatial
        let molecule = Molecule(atoms: atoms, bonds: bonds, title: String(cString: rgdm_ob_mol_title(pointer)),
                                properties: properties, dimension: dimension, stereo: dimension == .spatial ? Molecule.Stereo() : stereo())
        return (molecule, unknown)
    }

    /// Takes ownership of a malloc'd C string from the shim, or throws its error.
    static func string(_ pointer: UnsafeMutablePointer<CChar>?) throws -> String {
        guard let pointer else { throw ChemError.openBabel(OpenBabelLock.lastError) }
        defer { rgdm_ob_free(pointer) }
        return String(cString: pointer)
    }
}
