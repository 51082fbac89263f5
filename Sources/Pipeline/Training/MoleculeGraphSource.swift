import Diffusion

/// Molecules as diffusion graphs, EDM's encoding (Hoogeboom et al. 2022, §3.4
/// and its QM9 set-up): node features h = [one-hot(atom type), Z] with
/// F = |vocabulary| + 1, scaled in the process by 1/4 (one-hot) and 1/10
/// (atomic number, EDM's "charges"; `normalize_factors` [1, 4, 10]).
public struct MoleculeGraphSource: GraphDataSource, Sendable {
    /// Positions of all atoms: `[atoms, 3]`, Å.
    public let positions: [Float]
    /// Atom types as indices into `atomicNumbers`: `[atoms]`.
    public let typeIndices: [Int32]
    /// Start of each molecule's atoms: `[molecules + 1]`.
    public let atomOffsets: [Int]
    /// The molecules of this split, as indices into `atomOffsets`: `[count]`.
    public let members: [Int]
    /// The vocabulary: atomic numbers in one-hot order.
    public let atomicNumbers: [Int]
    public let includesAtomicNumber: Bool

    /// - Throws: when an atomic number is outside the vocabulary or a member is out of range.
    public init(positions: [Float], atomicNumbers perAtom: [Int], atomOffsets: [Int], members: [Int],
                vocabulary: [Int], includesAtomicNumber: Bool = true, source: String) throws {
        guard let atomCount = atomOffsets.last, atomOffsets.first == 0, positions.count == atomCount * 3,
              perAtom.count == atomCount else {
            throw PipelineError.invalidDataset(
                path: source, reason: "atom_offsets (\(atomOffsets.count) entries), positions (\(positions.count) values) and atomic numbers (\(perAtom.count)) disagree")
        }
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int32($0)) })
        var types = [Int32](repeating: 0, count: perAtom.count)
        for (atom, z) in perAtom.enumerated() {
            guard let t = index[z] else {
                throw PipelineError.invalidDataset(path: source, reason: "atom \(atom) has atomic number \(z), outside the vocabulary \(vocabulary)")
            }
            types[atom] = t
        }
        let moleculeCount = atomOffsets.count - 1
        if let bad = members.first(where: { !(0 ..< moleculeCount).contains($0) }) {
            throw PipelineError.invalidDataset(path: source, reason: "split member \(bad) is not a molecule index (0..<\(moleculeCount))")
        }
        if let empty = members.first(where: { atomOffsets[$0 + 1] <= atomOffsets[$0] }) {
            throw PipelineError.invalidDataset(path: source, reason: "molecule \(empty) has no atoms")
        }
        self.positions = positions
        self.typeIndices = types
        self.atomOffsets = atomOffsets
        self.members = members
        self.atomicNumbers = vocabulary
        self.includesAtomicNumber = includesAtomicNumber
    }

    public var count: Int { members.count }

    /// F = |vocabulary| (+ 1 with the atomic number).
    public var featureWidth: Int { atomicNumbers.count + (includesAtomicNumber ? 1 : 0) }

    /// EDM's scaling: one-hot / 4, atomic number / 10.
    public var scaling: FeatureScaling {
        get throws {
            var blocks = [FeatureScaling.Block(width: atomicNumbers.count, divisor: 4)]
            if includesAtomicNumber { blocks.append(.init(width: 1, divisor: 10)) }
            return try FeatureScaling(blocks: blocks)
        }
    }

    /// Atom counts of the split's molecules: `[count]`.
    public var nodeCounts: [Int] { members.map { atomOffsets[$0 + 1] - atomOffsets[$0] } }

    public func batch(at indices: [Int]) throws -> GraphBatch {
        let molecules = indices.map { members[$0] }
        let counts = molecules.map { atomOffsets[$0 + 1] - atomOffsets[$0] }
        let layout = GraphLayout(nodeCounts: counts)
        let width = featureWidth, vocabulary = atomicNumbers.count
        var x = [Float](); x.reserveCapacity(layout.nodeCount * 3)
        var h = [Float](repeating: 0, count: layout.nodeCount * width)  // [nodes, F]
        var node = 0
        for m in molecules {
            for atom in atomOffsets[m] ..< atomOffsets[m + 1] {
                x += positions[(3 * atom) ..< (3 * atom + 3)]
                let t = Int(typeIndices[atom])
                h[node * width + t] = 1
                if includesAtomicNumber { h[node * width + vocabulary] = Float(atomicNumbers[t]) }
                node += 1
            }
        }
        return GraphBatch(layout: layout, positions: x, features: h)
    }

    /// Decodes sampled features `[nodes, F]` (unscaled) into atomic numbers by
    /// the argmax of the one-hot block (EDM's sampling decode).
    public static func decodeAtomicNumbers(features: [Float], featureWidth: Int, vocabulary: [Int]) -> [Int] {
        precondition(featureWidth >= vocabulary.count && features.count % max(featureWidth, 1) == 0,
                     "features: \(features.count) values, width \(featureWidth), vocabulary \(vocabulary.count)")
        let nodes = featureWidth == 0 ? 0 : features.count / featureWidth
        return (0 ..< nodes).map { node in
            let row = features[(node * featureWidth) ..< (node * featureWidth + vocabulary.count)]
            let best = row.indices.max { row[$0] < row[$1] } ?? row.startIndex
            return vocabulary[best - row.startIndex]
        }
    }
}
