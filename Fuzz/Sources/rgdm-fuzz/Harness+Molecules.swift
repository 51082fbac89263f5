import Chem
import Foundation

extension Harness {
    /// Every record of `data` in `format`, read strictly (rgdm's default): a record that passes
    /// rgdm's checks must not crash Open Babel. (`--lenient` hands records to Open Babel
    /// unchecked; its crashes there are met by worker isolation, not by the reader.)
    static func readMolecules(_ data: Data, format: MoleculeFormat) {
        guard let reader = try? MoleculeReader(data: data, format: format, name: "fuzz." + format.name) else { return }
        while reader.next() != nil {}
    }

    /// Every SMILES record through the shim, and each molecule read back to canonical SMILES
    /// (what the evaluation does with every sample).
    static func readSMILES(_ data: Data) {
        guard let reader = try? MoleculeReader(data: data, format: .smiles, name: "fuzz.smi") else { return }
        while let result = reader.next() {
            if case let .success(molecule) = result { _ = try? molecule.canonicalSMILES() }
        }
    }
}
