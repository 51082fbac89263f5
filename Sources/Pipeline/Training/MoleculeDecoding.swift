import Chem
import Diffusion
import Foundation

/// Sampled graphs → molecules: atom types by the argmax of the one-hot block,
/// positions as sampled, bonds from EDM's distance table.
enum MoleculeDecoding {
    static func molecules(from results: [SampleResult], card: ModelCard) -> [Molecule] {
        var molecules: [Molecule] = []
        for result in results {
            let numbers = MoleculeGraphSource.decodeAtomicNumbers(
                features: result.features, featureWidth: card.egnn.featureWidth, vocabulary: card.atomicNumbers)
            for g in 0 ..< result.layout.graphCount {
                let atoms = result.layout.nodes(ofGraph: g).map { i in
                    Molecule.Atom(
                        element: Element(atomicNumber: numbers[i]) ?? Element(atomicNumber: 6)!,
                        position: SIMD3(Double(result.positions[3 * i]), Double(result.positions[3 * i + 1]),
                                        Double(result.positions[3 * i + 2])))
                }
                let molecule = Molecule(atoms: atoms, title: "rgdm sample \(molecules.count + 1)")
                molecules.append(EDMBonds.assigningBonds(to: molecule))
            }
        }
        return molecules
    }

    /// Writes all molecules to `path` (format from the extension), atomically.
    static func write(_ molecules: [Molecule], to path: String) throws {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let writer = try MoleculeWriter(path: path)
        for molecule in molecules { try writer.write(molecule) }
        try writer.close()
    }
}
