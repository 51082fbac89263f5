import Diffusion

/// The graphs a property model reads, checked against its card: node features one-hot over the
/// card's vocabulary, then the atomic number when the card's encoding has it. A batch without the
/// atomic-number column (`includesAtomicNumber` false at the source) gets it from the one-hot block.
enum PropertyModelInput {
    /// `batch`'s features in the card's encoding `[nodes, card.featureWidth]`; throws
    /// `PipelineError.invalidModel` naming `path` when the widths cannot match.
    static func features(of batch: GraphBatch, card: PropertyModelCard, path: String) throws -> [Float] {
        let n = batch.layout.nodeCount, v = card.atomicNumbers.count
        guard n > 0 else { return [] }
        let width = batch.features.count / n
        guard batch.features.count == n * width, width == v || width == v + 1 else {
            throw PipelineError.invalidModel(
                path: path, reason: "it reads one-hot features over \(v) elements \(card.atomicNumbers) (+ the atomic number); the graphs have \(batch.features.count / max(n, 1)) features per node")
        }
        if width == card.featureWidth { return batch.features }
        var features = [Float](repeating: 0, count: n * card.featureWidth)
        for i in 0 ..< n {
            let row = batch.features[(i * width) ..< (i * width + v)]
            let element = row.indices.max { row[$0] < row[$1] }.map { $0 - row.startIndex } ?? 0
            for c in 0 ..< v { features[i * card.featureWidth + c] = batch.features[i * width + c] }
            if card.includesAtomicNumber { features[i * card.featureWidth + v] = Float(card.atomicNumbers[element]) }
        }
        return features
    }
}
