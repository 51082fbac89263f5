/// A file a command writes, and the files written beside it, named after it.
///
///     let file = OutputFile(path: "data/qm9.H5")
///     file.hasExtension(in: ["h5", "hdf5"])   // true: extensions compare case-insensitively
///     file.sidecar(.rejects)                  // "data/qm9.rejects.tsv"
struct OutputFile: Sendable, Equatable {
    var path: String

    /// The extension after the last dot of the file name, in lower case ("" when there is none).
    var pathExtension: String {
        guard let dot = extensionDot else { return "" }
        return path[path.index(after: dot)...].lowercased()
    }

    /// The path without its extension: `data/set.h5` → `data/set` (the path itself when it has none).
    var stem: String {
        guard let dot = extensionDot else { return path }
        return String(path[..<dot])
    }

    /// Whether the extension is one of `extensions` (lower case, without the dot), ignoring case;
    /// any extension, or none, when `extensions` is empty.
    func hasExtension(in extensions: [String]) -> Bool {
        extensions.isEmpty || extensions.contains(pathExtension)
    }

    /// The path of a file written beside this one.
    func sidecar(_ sidecar: Sidecar) -> String {
        switch sidecar {
        case .report: stem + ".report"
        case .rejects: stem + ".rejects.tsv"
        case .runRecord: stem + ".run.json"
        case .sampleRunRecord: path + ".run.json"
        case .parts: path + ".parts"
        case .log: stem + ".log.jsonl"
        }
    }

    /// The dot that starts the extension: the last one of the file name, unless it leads the name (".hidden").
    private var extensionDot: String.Index? {
        let name = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[name...].lastIndex(of: "."), dot > name else { return nil }
        return dot
    }
}

/// The files a command writes beside its output, each named after it.
enum Sidecar: CaseIterable {
    /// The base RunReport adds `.html` and `.json` to: `samples.sdf` → `samples.report.html`.
    case report
    /// Rejected inputs with their reasons: `set.h5` → `set.rejects.tsv`.
    case rejects
    /// The command line of the run (`RunRecord`): `set.h5` → `set.run.json`.
    case runRecord
    /// `rgdm sample`'s run record, named after the whole file: `samples.sdf` → `samples.sdf.run.json`.
    case sampleRunRecord
    /// The folder of an interrupted job's parts, for resuming: `set.h5` → `set.h5.parts`.
    case parts
    /// A training log, one JSON line per logged step: `alpha.rgdm` → `alpha.log.jsonl`.
    case log
}
