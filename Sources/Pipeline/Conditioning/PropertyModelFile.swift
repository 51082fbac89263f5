import Diffusion
import Foundation

/// Property model files (`rgdm train-property` writes them): a `Checkpoint` whose model
/// configuration is a `PropertyModelCard`. An EGNN model's file is a full training checkpoint (the
/// run resumes from it); a ridge model's holds its fit as weights only.
public enum PropertyModelFile {
    /// The property model at `path`: its EMA weights when it has them, else θ.
    public static func open(_ path: String, threads: Int = 1) throws -> any PropertyPredictor & PropertyModelCarrier {
        let checkpoint = try TrainedModel.checkpoint(at: path)
        let card = try PropertyModelCard(checkpoint: checkpoint, path: path)
        let weights = checkpoint.state.ema?.weights ?? checkpoint.state.parameters
        switch card.model {
        case .egnn:
            return try EGNNPropertyModel(card: card, parameters: weights, threads: threads, source: path)
        case .ridge:
            return try RidgePropertyModel(card: card, regression: RidgePropertyModel.regression(weights, card: card, path: path),
                                          source: path)
        }
    }

    /// Writes a fitted ridge model to `path`, atomically.
    static func write(_ model: RidgePropertyModel, to path: String) throws {
        try Checkpoint.fitted(model.parameters, modelConfiguration: model.card.encodedJSON()).write(to: URL(fileURLWithPath: path))
    }
}

/// A property model that carries its card (both conformers do).
public protocol PropertyModelCarrier {
    var card: PropertyModelCard { get }
}

extension EGNNPropertyModel: PropertyModelCarrier {}
extension RidgePropertyModel: PropertyModelCarrier {}
