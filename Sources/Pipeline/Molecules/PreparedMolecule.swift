import Chem

/// One molecule ready for the training set, or the reason it was rejected,
/// as exchanged between worker processes: one tab-separated line each.
enum PreparedRecord: Equatable {
    case molecule(index: Int, PreparedMolecule)
    case rejected(index: Int, source: String, reason: String)

    var index: Int {
        switch self {
        case .molecule(let index, _), .rejected(let index, _, _): return index
        }
    }

    /// "M\tindex\tsmiles\tZ,…\tq,…\tx,y,z,…\tp,…" or "R\tindex\tsource\treason".
    var line: String {
        switch self {
        case .molecule(let index, let m):
            return ["M", String(index), m.smiles,
                    m.atomicNumbers.map(String.init).joined(separator: ","),
                    m.charges.map(String.init).joined(separator: ","),
                    m.positions.map { String($0) }.joined(separator: ","),
                    m.properties.map { String($0) }.joined(separator: ",")].joined(separator: "\t")
        case .rejected(let index, let source, let reason):
            return ["R", String(index), source.replacingOccurrences(of: "\t", with: " "),
                    reason.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")].joined(separator: "\t")
        }
    }

    /// Parses a line written by `line`; nil for a torn or foreign line.
    init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count >= 4, let index = Int(fields[1]) else { return nil }
        if fields[0] == "R" {
            self = .rejected(index: index, source: String(fields[2]), reason: String(fields[3]))
            return
        }
        guard fields[0] == "M", fields.count == 7 else { return nil }
        func numbers<T: LosslessStringConvertible>(_ field: Substring) -> [T]? {
            if field.isEmpty { return [] }
            var values: [T] = []
            for part in field.split(separator: ",") {
                guard let value = T(String(part)) else { return nil }
                values.append(value)
            }
            return values
        }
        guard let z: [UInt8] = numbers(fields[3]), let q: [Int8] = numbers(fields[4]),
              let x: [Float] = numbers(fields[5]), let p: [Double] = numbers(fields[6]),
              x.count == 3 * z.count, q.count == z.count else { return nil }
        self = .molecule(index: index, PreparedMolecule(smiles: String(fields[2]), atomicNumbers: z, charges: q, positions: x, properties: p))
    }
}

/// The arrays one molecule contributes to the HDF5 training set.
struct PreparedMolecule: Equatable {
    var smiles: String
    var atomicNumbers: [UInt8]
    var charges: [Int8]
    /// Å, [atoms × 3], centred as given (the trainer removes the centre of mass).
    var positions: [Float]
    var properties: [Double]

    init(smiles: String, atomicNumbers: [UInt8], charges: [Int8], positions: [Float], properties: [Double]) {
        self.smiles = smiles
        self.atomicNumbers = atomicNumbers
        self.charges = charges
        self.positions = positions
        self.properties = properties
    }

    /// From a 3D molecule with explicit hydrogens.
    init(_ molecule: Molecule, smiles: String, properties: [Double]) {
        self.smiles = smiles
        atomicNumbers = molecule.atoms.map { UInt8($0.element.atomicNumber) }
        charges = molecule.atoms.map { Int8(clamping: $0.formalCharge) }
        positions = molecule.atoms.flatMap { [Float($0.position.x), Float($0.position.y), Float($0.position.z)] }
        self.properties = properties
    }
}
