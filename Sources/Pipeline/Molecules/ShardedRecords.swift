import Chem

/// Walks the records of several inputs in order, yielding those of one shard
/// with their global 0-based index. A file that cannot be opened counts as
/// one record that failed. Records of other shards are passed over without
/// Open Babel reading them where the format allows (`MoleculeReader.skip()`).
struct ShardedRecords: Sequence, IteratorProtocol {
    enum Source {
        case qm9(QM9CSVReader)
        case file(String)
    }

    let sources: [Source]
    let format: MoleculeFormat?
    let shard: Shard
    var options: MoleculeReader.Options = .strict
    /// Records of the shard before this index are passed over: a replaced
    /// worker goes on after the record its predecessor died on.
    var startAt = 0
    /// Told which record is about to be read, before Open Babel sees it.
    var watchdog: RecordWatchdog?
    private var sourceIndex = 0
    private var index = 0
    private var rows: QM9CSVReader.Iterator?
    private var row = 0
    private var reader: MoleculeReader?

    init(sources: [Source], format: MoleculeFormat?, shard: Shard) {
        self.sources = sources
        self.format = format
        self.shard = shard
    }

    private func wanted(_ index: Int) -> Bool { index >= startAt && shard.contains(record: index) }

    mutating func next() -> (index: Int, record: Result<Molecule, ChemError>)? {
        while sourceIndex < sources.count {
            switch sources[sourceIndex] {
            case .qm9(let csv):
                if rows == nil {
                    rows = csv.makeIterator()
                    row = 0
                }
                while true {
                    row += 1
                    if wanted(index) {
                        watchdog?.enter(RecordPosition(index: index, file: csv.path, record: row), skippable: true)
                        guard let result = rows?.next() else { break }
                        defer { index += 1 }
                        return (index, result.map(\.molecule))
                    }
                    guard rows?.skip() == true else { break }
                    index += 1
                }
                rows = nil
            case .file(let path):
                if reader == nil {
                    do {
                        reader = try MoleculeReader(contentsOf: path, format: format, options: options)
                    } catch {
                        sourceIndex += 1
                        defer { index += 1 }
                        let failure = (error as? ChemError) ?? .io(file: path, reason: "\(error)")
                        if wanted(index) { return (index, .failure(failure)) }
                        continue
                    }
                }
                while let reader {
                    let position = RecordPosition(index: index, file: path, record: reader.recordCount + 1)
                    if wanted(index) {
                        watchdog?.enter(position, skippable: reader.skipsWithoutParsing)
                        guard let result = reader.next() else { break }
                        defer { index += 1 }
                        return (index, result)
                    }
                    if !reader.skipsWithoutParsing { watchdog?.enter(position, skippable: false) }
                    guard reader.skip() else { break }
                    index += 1
                }
                reader = nil
            }
            sourceIndex += 1
        }
        watchdog?.leave()
        return nil
    }
}
