/// One molecule of QM9 (Ramakrishnan et al. 2014) as the qm9pack CSV files
/// hold it: DFT (B3LYP/6-31G(2df,p)) geometry and computed properties.
public struct QM9Record: Hashable, Sendable {
    /// The GDB-9 index (1…133,885).
    public var index: Int
    /// "dsgdb9nsd_000001"
    public var name: String
    public var smiles: String
    public var inchi: String
    public var elements: [Element]
    /// Å
    public var positions: [SIMD3<Double>]
    /// Values in the order of `QM9Record.propertyNames`.
    public var properties: [Double]

    /// The scalar properties kept, named as in the CSV header (units in the names).
    public static let propertyNames = [
        "RotA_GHz", "RotB_GHz", "RotC_GHz", "Dipole_debye", "Polarizability_bohr3",
        "HOMO_au", "LUMO_au", "HOMO_LUMO_gap_au", "R2_bohr2", "ZPVE_au",
        "InternalEnergy_0K_au", "InternalEnergy_298K_au", "Enthalphy_298K_au",
        "GibbsFreeEnergy_298K_au", "Heatcapacity_Cv_cal_mol_K",
    ]

    public init(index: Int, name: String, smiles: String, inchi: String, elements: [Element],
                positions: [SIMD3<Double>], properties: [Double]) {
        self.index = index
        self.name = name
        self.smiles = smiles
        self.inchi = inchi
        self.elements = elements
        self.positions = positions
        self.properties = properties
    }

    /// The geometry as a molecule without bonds (as QM9 gives it), the
    /// SMILES and properties carried as data fields.
    public var molecule: Molecule {
        var fields = [Molecule.Property(name: "QM9_index", value: String(index)),
                      Molecule.Property(name: "SMILES", value: smiles)]
        for (key, value) in zip(Self.propertyNames, properties) {
            fields.append(Molecule.Property(name: key, value: String(value)))
        }
        return Molecule(atoms: zip(elements, positions).map { Molecule.Atom(element: $0, position: $1) },
                        bonds: [], title: name, properties: fields, dimension: .spatial)
    }
}
