import Chem
import Foundation

/// Where molecules come from on the command line: any file Open Babel reads
/// (format from the extension or `--format`), "-" for standard input, a
/// qm9pack CSV file (qm9_part*.csv), or a directory holding those CSV files.
enum MoleculeInput {
    /// True when `path` is QM9 data in qm9pack's CSV layout.
    static func isQM9(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return !QM9CSVReader.partFiles(in: path).isEmpty
        }
        return path.lowercased().hasSuffix(".csv")
    }

    /// The QM9 CSV files `path` names (itself, or the parts in a directory).
    static func qm9Files(_ path: String) -> [String] {
        path.lowercased().hasSuffix(".csv") ? [path] : QM9CSVReader.partFiles(in: path)
    }

    /// The records of `shard` with their 0-based index over all of `paths`,
    /// read with `options`. QM9 rows outside the shard are skipped without
    /// being parsed, as are other files' records where the format allows.
    static func records(_ paths: [String], format: MoleculeFormat?, shard: Shard, options: MoleculeReader.Options = .strict,
                        startAt: Int = 0, watchdog: RecordWatchdog? = nil) throws -> ShardedRecords {
        var files: [ShardedRecords.Source] = []
        for path in paths {
            if isQM9(path) {
                for file in qm9Files(path) { files.append(.qm9(try QM9CSVReader(path: file))) }
            } else {
                files.append(.file(path))
            }
        }
        var records = ShardedRecords(sources: files, format: format, shard: shard)
        records.options = options
        records.startAt = startAt
        records.watchdog = watchdog
        return records
    }

    /// Every record of `paths`, in order, as molecules or typed errors.
    static func records(_ paths: [String], format: MoleculeFormat?, options: MoleculeReader.Options = .strict) throws
        -> LazyMapSequence<ShardedRecords, Result<Molecule, ChemError>> {
        try records(paths, format: format, shard: .whole, options: options).lazy.map(\.record)
    }
}
