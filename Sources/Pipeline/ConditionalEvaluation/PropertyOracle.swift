import Chem
import Diffusion

/// The property model that scores molecules in the conditional evaluation (EDM's property
/// classifier, Hoogeboom et al. 2022 §5.2): any `PropertyPredictor`, with the name reports give it.
///
/// EDM's EGNN oracle reads every generated geometry, valid or not, so the evaluation scores
/// every molecule. A molecule the oracle cannot read (an element outside its vocabulary) or
/// for which it predicts a non-finite value gets no prediction (nil); reports count those and
/// leave them out of every mean.
public struct PropertyOracle {
    public let predictor: any PropertyPredictor
    /// A path, or how the oracle was made ("atom-count fitted on …").
    public let name: String
    /// Molecules per call of the predictor.
    public var batchSize = 256

    public init(predictor: any PropertyPredictor, name: String) {
        self.predictor = predictor
        self.name = name
    }

    public var property: String { predictor.property }

    /// The position of the oracle's property among `condition`'s; throws
    /// `PipelineError.invalidModel` naming the oracle when the model is not conditioned on it.
    public func propertyIndex(in condition: ConditionCard, model: String) throws -> Int {
        guard let index = condition.properties.firstIndex(where: { MoleculeDataset.sameProperty($0, property) }) else {
            throw PipelineError.invalidModel(
                path: name, reason: "it predicts \(property); model \(model) is conditioned on \(condition.properties.joined(separator: ", "))")
        }
        return index
    }

    /// The oracle's prediction for each of `molecules` (`[molecules]`, dataset units), nil for
    /// one it cannot read. Graphs are encoded as data is (one-hot over the oracle's vocabulary,
    /// then the atomic number); bonds and properties of the molecules are not read.
    public func predictions(of molecules: [Molecule]) throws -> [Double?] {
        let vocabulary = Set(predictor.vocabulary)
        let readable = molecules.indices.filter { !molecules[$0].atoms.isEmpty && molecules[$0].atomicNumbers.allSatisfy(vocabulary.contains) }
        let codec = MoleculeCodec(atomicNumbers: predictor.vocabulary, includesAtomicNumber: true)
        var predictions = [Double?](repeating: nil, count: molecules.count)
        for start in stride(from: 0, to: readable.count, by: batchSize) {
            let chunk = Array(readable[start ..< min(start + batchSize, readable.count)])
            let y = try predictor.predict(try codec.batch(chunk.map { molecules[$0] }))
            guard y.count == chunk.count else {
                throw PipelineError.invalidModel(path: name, reason: "it gave \(y.count) predictions for \(chunk.count) molecules")
            }
            for (molecule, value) in zip(chunk, y) where value.isFinite { predictions[molecule] = value }
        }
        return predictions
    }

    /// The oracle's predictions for the molecules of a dataset split, in split order.
    public func predictions(of source: MoleculeGraphSource) throws -> [Double?] {
        try predictions(of: source.molecules())
    }
}

extension MoleculeGraphSource {
    /// The split's molecules (elements and positions, no bonds), in split order.
    func molecules() -> [Molecule] {
        members.map { m in
            Molecule(atoms: (atomOffsets[m] ..< atomOffsets[m + 1]).map { atom in
                Molecule.Atom(element: Element(atomicNumber: atomicNumbers[Int(typeIndices[atom])]) ?? Element(atomicNumber: 6)!,
                              position: SIMD3(Double(positions[3 * atom]), Double(positions[3 * atom + 1]), Double(positions[3 * atom + 2])))
            })
        }
    }
}
