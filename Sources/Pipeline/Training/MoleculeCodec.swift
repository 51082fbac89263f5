import Chem
import Diffusion
import Foundation

/// Molecules ↔ the graphs a molecule model trains on and generates, in EDM's
/// encoding (`MoleculeGraphSource`): node features h = [one-hot(atom type), Z].
/// Decoding takes the argmax of a sample's one-hot block as the element and
/// assigns bonds by EDM's distance table; encoding builds the training batch a
/// dataset of the same atoms would give, so decoded samples re-enter training
/// (reward fine-tuning) exactly as data does.
public struct MoleculeCodec: Sendable {
    /// The vocabulary: atomic numbers in one-hot order.
    public let atomicNumbers: [Int]
    public let includesAtomicNumber: Bool

    public init(atomicNumbers: [Int], includesAtomicNumber: Bool) {
        self.atomicNumbers = atomicNumbers
        self.includesAtomicNumber = includesAtomicNumber
    }

    /// The encoding of `card`'s model.
    public init(card: ModelCard) {
        self.init(atomicNumbers: card.atomicNumbers, includesAtomicNumber: card.includesAtomicNumber)
    }

    /// F = |vocabulary| (+ 1 with the atomic number).
    public var featureWidth: Int { atomicNumbers.count + (includesAtomicNumber ? 1 : 0) }

    /// Every graph of `results` as a molecule, titled "rgdm sample 1", "rgdm sample 2", … in order.
    public func molecules(from results: [SampleResult]) -> [Molecule] {
        var molecules: [Molecule] = []
        for result in results {
            let numbers = MoleculeGraphSource.decodeAtomicNumbers(
                features: result.features, featureWidth: featureWidth, vocabulary: atomicNumbers)
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

    /// `molecules` as a training batch: positions as they are (Float), one-hot types
    /// and atomic numbers, the same values `MoleculeGraphSource.batch(at:)` gives for
    /// a dataset of these molecules. Throws `PipelineError.invalidDataset` naming
    /// `source` and the atom when an element is outside the vocabulary.
    public func batch(_ molecules: [Molecule], source: String = "generated molecules") throws -> GraphBatch {
        var positions: [Float] = [], numbers: [Int] = [], offsets = [0]
        for molecule in molecules {
            for atom in molecule.atoms {
                positions += [Float(atom.position.x), Float(atom.position.y), Float(atom.position.z)]
                numbers.append(atom.element.atomicNumber)
            }
            offsets.append(numbers.count)
        }
        let graphs = try MoleculeGraphSource(positions: positions, atomicNumbers: numbers, atomOffsets: offsets,
                                             members: Array(molecules.indices), vocabulary: atomicNumbers,
                                             includesAtomicNumber: includesAtomicNumber, source: source)
        return try graphs.batch(at: Array(molecules.indices))
    }
}

/// Writing sampled molecules.
enum MoleculeDecoding {
    /// Writes all molecules to `path` (format from the extension), atomically.
    static func write(_ molecules: [Molecule], to path: String) throws {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let writer = try MoleculeWriter(path: path)
        for molecule in molecules { try writer.write(molecule) }
        try writer.close()
    }

    /// Writes the molecules with finite coordinates to `path` and returns how many were left out: a
    /// chain still diverged after `Sampler.maximumRedraws` redraws has no coordinates to write, and
    /// a record of NaNs would be read back as a molecule. Metrics keep them (unstable, invalid).
    static func writeFinite(_ molecules: [Molecule], to path: String) throws -> Int {
        let written = molecules.filter(ValidMolecule.hasFiniteCoordinates)
        try write(written, to: path)
        return molecules.count - written.count
    }

    /// "3 of 200 chains diverged (non-finite coordinates, redraws included) and are not written to PATH".
    static func divergedNote(_ diverged: Int, of count: Int, path: String) -> String {
        "\(diverged) of \(count) chains diverged (non-finite coordinates, redraws included) and are not written to \(path)"
    }
}
