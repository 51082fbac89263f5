import Chem

/// Walks the records of several inputs in order, yielding those of one shard
/// with their global 0-based index. A file that cannot be opened counts as
/// one record that failed.
struct ShardedRecords: Sequence, IteratorProtocol {
    enum Source {
        case qm9(QM9CSVReader)
        case file(String)
    }

    let sources: [Source]
    let format: MoleculeFormat?
    let shard: Shard
    private var sourceIndex = 0
    private var index = 0
    private var rows: QM9CSVReader.Iterator?
    private var reader: MoleculeReader?

    init(sources: [Source], format: MoleculeFormat?, shard: Shard) {
        self.sources = sources
        self.format = format
        self.shard = shard
    }

    mutating func next() -> (index: Int, record: Result<Molecule, ChemError>)? {
        while sourceIndex < sources.count {
            switch sources[sourceIndex] {
            case .qm9(let csv):
                if rows == nil { rows = csv.makeIterator() }
                while true {
                    let wanted = shard.contains(record: index)
                    if wanted {
                        guard let row = rows?.next() else { break }
                        defer { index += 1 }
                        return (index, row.map(\.molecule))
                    }
                    guard rows?.skip() == true else { break }
                    index += 1
                }
                rows = nil
            case .file(let path):
                if reader == nil {
                    do {
                        reader = try MoleculeReader(contentsOf: path, format: format)
                    } catch {
                        sourceIndex += 1
                        defer { index += 1 }
                        let failure = (error as? ChemError) ?? .io(file: path, reason: "\(error)")
                        if shard.contains(record: index) { return (index, .failure(failure)) }
                        continue
                    }
                }
                while let result = reader?.next() {
                    defer { index += 1 }
                    if shard.contains(record: index) { return (index, result) }
                }
                reader = nil
            }
            sourceIndex += 1
        }
        return nil
    }
}
