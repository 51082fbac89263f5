import Diffusion
import Foundation

/// Where `rgdm train --property-model` takes a property model f̂ from: every property model
/// enters pseudo-labelling here, so a new kind of model is one case (or one file format).
public enum PropertyModelSource: Sendable, Equatable {
    /// A file: a model `rgdm train-property` writes, or an atom-count model's JSON.
    case file(String)
    /// No file: EDM's #Atoms baseline (`AtomCountPredictor`), fitted on the labelled share.
    case atomCount

    /// `atom-count`, or a path.
    public init(argument: String) {
        self = argument == "atom-count" ? .atomCount : .file(argument)
    }

    /// How the card and reports name it.
    public var name: String {
        switch self {
        case .file(let path): path
        case .atomCount: "atom-count (fitted on the labelled share)"
        }
    }

    /// The model of `property`: opened from the file (which must predict that property), or
    /// fitted on the labelled molecules' `sizes` and `values`.
    public func predictor(for property: String, vocabulary: [Int], labelledSizes sizes: [Int],
                          labelledValues values: [Double]) throws -> any PropertyPredictor {
        switch self {
        case .atomCount:
            return try AtomCountPredictor(property: property, vocabulary: vocabulary, sizes: sizes, values: values)
        case .file(let path):
            let model = try PropertyModelFile.load(path)
            guard MoleculeDataset.sameProperty(model.property, property) else {
                throw PipelineError.invalidModel(path: path, reason: "it predicts \(model.property), not \(property)")
            }
            return model
        }
    }
}
