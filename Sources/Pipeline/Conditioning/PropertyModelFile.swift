import Diffusion
import Foundation

/// Opens property-model files, the one place that knows their formats: `rgdm train-property`'s
/// (a `Checkpoint` whose model configuration is a `PropertyModelCard`; an EGNN model's file is a
/// full training checkpoint, so the run resumes from it, a ridge model's holds its fit as weights
/// only) and an atom-count model's JSON (`AtomCountPredictor`).
public enum PropertyModelFile {
    /// The property model at `path`, whichever format it is in.
    public static func load(_ path: String, threads: Int = 1) throws -> any PropertyPredictor {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidModel(path: path, reason: "no such file")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if data.starts(with: Checkpoint.magic) { return try open(path, threads: threads) }
        if let model = try? JSONDecoder().decode(AtomCountPredictor.self, from: data) { return model }
        throw PipelineError.invalidModel(
            path: path, reason: "not a property model this rgdm reads (rgdm train-property's file, or an atom-count model's JSON)")
    }

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
