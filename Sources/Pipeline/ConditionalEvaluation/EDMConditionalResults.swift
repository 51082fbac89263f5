/// EDM's conditional QM9 results (Hoogeboom et al. 2022, Table 3) for one property, in EDM's
/// units, and the factor from the dataset column's units to EDM's: rgdm's molecule sets keep
/// QM9's HOMO, LUMO and gap in Hartree, where EDM reports meV.
public struct EDMConditionalResults: Sendable, Equatable {
    public var symbol: String
    public var unit: String
    /// EDM's unit per dataset unit (27,211.386 meV per Hartree; 1 for α, μ, Cv).
    public var scale: Double
    public var edm: Double
    public var atoms: Double
    public var naive: Double
    /// The oracle's own error (EDM's "QM9*" row).
    public var oracle: Double

    /// meV per Hartree (CODATA 2018).
    public static let millielectronvoltsPerHartree = 27_211.386_245_988

    /// EDM's row of the dataset column `column` (a `/properties` name or EDM alias), nil for a
    /// property EDM did not condition on.
    public static func forProperty(_ column: String) -> EDMConditionalResults? {
        let hartree = millielectronvoltsPerHartree
        let rows: [(String, EDMConditionalResults)] = [
            ("alpha", .init(symbol: "α", unit: "Bohr³", scale: 1, edm: 2.76, atoms: 3.86, naive: 9.01, oracle: 0.10)),
            ("gap", .init(symbol: "Δε", unit: "meV", scale: hartree, edm: 655, atoms: 866, naive: 1470, oracle: 64)),
            ("homo", .init(symbol: "ε_HOMO", unit: "meV", scale: hartree, edm: 356, atoms: 426, naive: 645, oracle: 39)),
            ("lumo", .init(symbol: "ε_LUMO", unit: "meV", scale: hartree, edm: 584, atoms: 813, naive: 1457, oracle: 36)),
            ("mu", .init(symbol: "μ", unit: "D", scale: 1, edm: 1.111, atoms: 1.053, naive: 1.616, oracle: 0.043)),
            ("cv", .init(symbol: "Cv", unit: "cal/(mol K)", scale: 1, edm: 1.101, atoms: 1.971, naive: 6.857, oracle: 0.040)),
        ]
        return rows.first { MoleculeDataset.sameProperty($0.0, column) }?.1
    }
}
