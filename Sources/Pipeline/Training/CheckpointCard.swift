import Diffusion
import Foundation

/// A card stored as JSON text in `Checkpoint.modelConfiguration`: what the weights are and how
/// they were made (`ModelCard`, `PropertyModelCard`, `ShapeModelCard`).
public protocol CheckpointCard: Encodable {}

extension CheckpointCard {
    /// JSON text for `Checkpoint.modelConfiguration`, keys sorted.
    public func encodedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// A card told apart from other checkpoints' cards by its `format` field.
protocol FormattedCheckpointCard: CheckpointCard, Decodable {
    static var format: String { get }
    /// What the card describes, for errors: "shape model".
    static var kind: String { get }
    /// The command that writes such checkpoints, for errors.
    static var writer: String { get }
}

extension FormattedCheckpointCard {
    /// Whether `checkpoint`'s card has this format.
    static func isStored(in checkpoint: Checkpoint) -> Bool {
        (try? JSONDecoder().decode(CardFormat.self, from: Data(checkpoint.modelConfiguration.utf8)))?.format == format
    }

    /// The card of `checkpoint` (read from `path`), or an error naming it when it holds something else.
    init(checkpoint: Checkpoint, path: String) throws {
        guard Self.isStored(in: checkpoint) else {
            throw PipelineError.invalidModel(path: path, reason: "not a \(Self.kind) (\(Self.writer) writes those)")
        }
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(checkpoint.modelConfiguration.utf8))
        } catch {
            throw PipelineError.invalidModel(path: path, reason: "unreadable \(Self.kind) card: \(error)")
        }
    }
}

/// The `format` field of a card, read alone.
private struct CardFormat: Decodable {
    var format: String?
}
