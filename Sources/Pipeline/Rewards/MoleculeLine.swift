import Chem
import Foundation

/// One molecule as a line of JSON, the way reward commands and reward workers receive
/// molecules: `{"index": 0, "smiles": "CCO" or null, "elements": ["C", …], "positions":
/// [[x, y, z], …]}` with positions in Å and the canonical SMILES of the valid molecule
/// (`EDMValidity`; null when invalid).
struct MoleculeLine: Codable, Equatable, Sendable {
    var index: Int
    var smiles: String?
    var elements: [String]
    var positions: [[Double]]

    init(index: Int, molecule: Molecule, smiles: String?) {
        self.index = index
        self.smiles = smiles
        elements = molecule.atoms.map(\.element.symbol)
        positions = molecule.atoms.map { [$0.position.x, $0.position.y, $0.position.z] }
    }

    /// `molecule` with its SMILES computed here (Open Babel, in this process).
    init(index: Int, molecule: Molecule) {
        self.init(index: index, molecule: molecule, smiles: try? ValidMolecule.smiles(of: molecule).get())
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(smiles, forKey: .smiles)  // null, not absent, when invalid
        try container.encode(elements, forKey: .elements)
        try container.encode(positions, forKey: .positions)
    }

    /// The molecule again: its atoms at their positions, bonds from EDM's distance table
    /// (as `MoleculeCodec` decodes samples).
    func molecule() throws -> Molecule {
        guard elements.count == positions.count, positions.allSatisfy({ $0.count == 3 }) else {
            throw PipelineError.invalidReward(specification: "molecule \(index)", reason: "elements and positions do not match")
        }
        let atoms = try zip(elements, positions).map { symbol, p in
            guard let element = Element(symbol: symbol) else {
                throw PipelineError.invalidReward(specification: "molecule \(index)", reason: "unknown element \(symbol)")
            }
            return Molecule.Atom(element: element, position: SIMD3(p[0], p[1], p[2]))
        }
        return EDMBonds.assigningBonds(to: Molecule(atoms: atoms))
    }

    /// The line's JSON text (no newline).
    func text() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
