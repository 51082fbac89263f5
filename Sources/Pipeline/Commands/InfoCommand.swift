import ArgumentParser
import Diffusion
import Foundation
import PointCloud

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
        if HDF5File.isHDF5(path) { return try describeDataset(path) }
        return try TrainedModel.describe(checkpointAt: path)
    }


    private static func describeDataset(_ path: String) throws -> [String: Any] {
        let file = try HDF5File(readingFrom: path)
        if (try? file.root.stringAttribute("format")) == "rgdm-molecules" {
            let numbers = try file.dataset("atomic_numbers").read(Int.self, rank: 1).values
            let offsets = try file.dataset("atom_offsets").read(Int.self, rank: 1).values
            let sizes = zip(offsets.dropFirst(), offsets).map { $0 - $1 }
            var elements: [String: Int] = [:]
            for z in numbers { elements[String(z), default: 0] += 1 }
            var splits: [String: Int] = [:]
            for name in ["train", "valid", "test"] where file.contains("splits/\(name)") {
                splits[name] = try file.dataset("splits/\(name)").shape().first ?? 0
            }
            var result: [String: Any] = [
                "kind": "molecule dataset", "path": path, "molecules": sizes.count, "atoms": numbers.count,
                "atoms_per_molecule": ["min": sizes.min() ?? 0, "max": sizes.max() ?? 0,
                                       "mean": sizes.isEmpty ? 0 : Double(numbers.count) / Double(sizes.count)] as [String: Any],
                "atomic_number_counts": elements, "splits": splits,
            ]
            if let source = try? file.root.stringAttribute("source") { result["source"] = source }
            if file.contains("properties"), let names = try? file.dataset("properties").attribute("names"),
               case let .strings(list) = names {
                result["properties"] = list
            }
            return result
        }
        var categories: [String: Any] = [:]
        for group in try file.root.groupNames().sorted() {
            var splits: [String: Any] = [:]
            for name in try file.group(group).datasetNames().sorted() {
                splits[name] = try file.dataset("\(group)/\(name)").shape()
            }
            categories[group] = splits
        }
        guard !categories.isEmpty else {
            throw PipelineError.invalidDataset(path: path, reason: "neither an rgdm molecule set nor a shape set (no category groups)")
        }
        return ["kind": "shape dataset", "path": path, "categories": categories]
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
