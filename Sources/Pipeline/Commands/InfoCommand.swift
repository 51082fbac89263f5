import ArgumentParser
import Diffusion
import Foundation
import HDF5

/// `rgdm info PATH`: what a dataset or checkpoint holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a dataset (sizes, splits, properties) or a checkpoint (model, training, metrics).")

    @Argument(help: "An HDF5 dataset from 'rgdm preprocess' or a checkpoint.rgdm.")
    var path: String

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let summary = try Self.describe(path)
        if json {
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else {
            Self.printTable(summary, indent: "")
        }
    }

    /// A JSON-ready description of the file at `path`.
    static func describe(_ path: String) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError.invalidDataset(path: path, reason: "no such file")
        }
        if HDF5File.isHDF5(path) { return try DatasetDescription.describe(path) }
        if let property = try PropertyModelFile.describe(path) { return property }
        if let shapeModel = try ShapeModel.describe(path) { return shapeModel }
        if let latentModel = try LatentPropertyModel.describe(path) { return latentModel }
        return try TrainedModel.describe(checkpointAt: path)
    }

    private static func printTable(_ dictionary: [String: Any], indent: String) {
        for key in dictionary.keys.sorted() {
            let value = dictionary[key]!
            if let nested = value as? [String: Any] {
                print("\(indent)\(key):")
                printTable(nested, indent: indent + "  ")
            } else if let list = value as? [Any], list.count > 12 {
                print("\(indent)\(key): [\(list.prefix(6).map { "\($0)" }.joined(separator: ", ")), … \(list.count) values]")
            } else {
                print("\(indent)\(key): \(value)")
            }
        }
    }
}
