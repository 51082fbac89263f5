import Foundation
import PointCloud

/// One shape file to preprocess and the category it goes under.
struct ShapeInput: Sendable, Equatable {
    var path: String
    var category: String
}

enum ShapeInputs {
    /// Every supported shape file under `inputs` (files as they are, folders searched
    /// recursively, sorted). Category: `category` when given, else the first folder below an
    /// input folder (`ModelNet10/chair/train/x.off` → `chair`), else the input folder's own name,
    /// else the file's parent folder name.
    static func collect(_ inputs: [String], category: String?) throws -> [ShapeInput] {
        var found: [ShapeInput] = []
        let manager = FileManager.default
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ValidationFailure("no such file or folder: \(input)")
            }
            let root = URL(fileURLWithPath: input).standardizedFileURL
            if !isDirectory.boolValue {
                found.append(ShapeInput(path: input, category: category ?? root.deletingLastPathComponent().lastPathComponent))
                continue
            }
            guard let enumerator = manager.enumerator(atPath: root.path) else { continue }
            var files: [String] = []
            for case let relative as String in enumerator {
                let format = ShapeFileFormat(path: relative)
                if format != nil, format != .hdf5 { files.append(relative) }
            }
            for relative in files.sorted() {
                let components = relative.split(separator: "/")
                let name = category ?? (components.count > 1 ? String(components[0]) : root.lastPathComponent)
                found.append(ShapeInput(path: root.appendingPathComponent(relative).path, category: name))
            }
        }
        return found
    }

    /// A category name safe as an HDF5 group name.
    static func groupName(_ category: String) -> String {
        let cleaned = category.map { $0 == "/" || $0 == "." ? "_" : $0 }
        return cleaned.isEmpty ? "shapes" : String(cleaned)
    }
}

/// An input problem reported before any work starts.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
