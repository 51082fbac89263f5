@testable import Diffusion
import Foundation
@testable import Pipeline

extension Harness {
    /// A checkpoint as `rgdm sample` opens one: decoded, its model card read and its model
    /// built with the weights. Twice: as the bytes are, and with the checksum recomputed, so
    /// that mutations reach the header and the sections behind it.
    static func readCheckpoint(_ data: Data) {
        decodeCheckpoint(data)
        guard data.count > 8 else { return }
        var fixed = Data(data.prefix(data.count - 8))
        withUnsafeBytes(of: Checkpoint.checksum(fixed).littleEndian) { fixed.append(contentsOf: $0) }
        decodeCheckpoint(fixed)
    }

    private static func decodeCheckpoint(_ data: Data) {
        guard let checkpoint = try? Checkpoint(encoded: data, path: "fuzz.rgdm"),
              let card = try? ModelCard(checkpoint: checkpoint, path: "fuzz.rgdm") else { return }
        _ = try? TrainedModel(card: card, parameters: checkpoint.state.ema?.weights ?? checkpoint.state.parameters, threads: 1)
    }

    /// A `--config` file's options.
    static func readConfig(_ data: Data) {
        _ = try? ConfigFile.options(inFile: ScratchFile.write(data, extension: "json"))
    }

    /// A model card's JSON, and the model it describes.
    static func readModelCard(_ data: Data) {
        guard let card = try? JSONDecoder().decode(ModelCard.self, from: data) else { return }
        _ = try? card.makeModel(threads: 1)
    }

    /// A reward command's standard output, for 1 and for 8 molecules.
    static func parseCommandAnswers(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        _ = CommandReward.parse(text, count: 1, program: "fuzz")
        _ = CommandReward.parse(text, count: 8, program: "fuzz")
    }

    /// xtb's standard output: every property, and its error reason.
    static func parseXTBOutput(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let result = XTBResult(output: text)
        for property in XTBProperty.allCases { _ = result.outcome(property) }
        _ = XTBProperty.errorReason(in: text)
    }
}
