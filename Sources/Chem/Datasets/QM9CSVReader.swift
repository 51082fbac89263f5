import Foundation

/// Reads the qm9pack 1.0.3 CSV files (qm9_part1.csv … qm9_part3.csv), one
/// row per molecule with the geometry as "[[x,y,z],…]" and the element list
/// as "['C','H',…]". Columns are found by header name. Rows stream from a
/// memory-mapped file; each bad row yields `ChemError.badRow` with its line.
public struct QM9CSVReader: Sequence {
    public let path: String
    private let data: Data

    public init(path: String) throws {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ChemError.io(file: path, reason: "cannot read: \(error.localizedDescription)")
        }
        if data.isEmpty { throw ChemError.emptyInput(file: path) }
    }

    /// The qm9_part*.csv files in `directory`, in order.
    public static func partFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("qm9_part") && $0.hasSuffix(".csv") }.sorted().map { directory + "/" + $0 }
    }

    public func makeIterator() -> Iterator { Iterator(path: path, data: data) }

    public struct Iterator: IteratorProtocol {
        let path: String
        let data: Data
        var offset = 0
        var line = 0
        var columns: [String: Int]?

        init(path: String, data: Data) {
            self.path = path
            self.data = data
        }

        public mutating func next() -> Result<QM9Record, ChemError>? {
            while let row = nextLine() {
                if row.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                let fields = QM9CSVReader.split(row)
                guard let columns else {
                    var map: [String: Int] = [:]
                    for (i, name) in fields.enumerated() { map[name] = i }
                    let required = ["Index", "XYZ_file", "SMILES", "InChi", "Elements", "XYZ_Ang"] + QM9Record.propertyNames
                    if let missing = required.first(where: { map[$0] == nil }) {
                        return .failure(.badRow(file: path, line: line, reason: "header has no column \(missing)"))
                    }
                    self.columns = map
                    continue
                }
                return Result { try QM9CSVReader.record(fields, columns: columns) }
                    .mapError { .badRow(file: path, line: line, reason: ($0 as? QM9CSVReader.RowError)?.reason ?? "\($0)") }
            }
            return nil
        }

        /// Moves past one data row without parsing it; false at the end.
        public mutating func skip() -> Bool {
            while columns == nil {
                guard let header = nextLine() else { return false }
                var map: [String: Int] = [:]
                for (i, name) in QM9CSVReader.split(header).enumerated() { map[name] = i }
                columns = map
            }
            while let row = nextLine() {
                if !row.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { return true }
            }
            return false
        }

        private mutating func nextLine() -> ArraySlice<UInt8>? {
            guard offset < data.count else { return nil }
            line += 1
            let newline = data[offset...].firstIndex(of: UInt8(ascii: "\n")) ?? data.count
            let row = ArraySlice(data[offset..<newline])
            offset = newline + 1
            return row
        }
    }

    struct RowError: Error { let reason: String }

    /// Splits a CSV row on commas outside double quotes, unquoting fields.
    static func split(_ row: ArraySlice<UInt8>) -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        var quoted = false
        for byte in row {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: ","), !quoted {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else if byte != UInt8(ascii: "\r") {
                current.append(byte)
            }
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }

    static func record(_ fields: [String], columns: [String: Int]) throws -> QM9Record {
        func field(_ name: String) throws -> String {
            guard let i = columns[name], i < fields.count else { throw RowError(reason: "missing field \(name)") }
            return fields[i]
        }
        guard let index = Int(try field("Index")) else { throw RowError(reason: "Index is not an integer") }
        var name = try field("XYZ_file")
        if name.hasSuffix(".xyz") { name.removeLast(4) }

        let symbols = try field("Elements").split(whereSeparator: { "[]', ".contains($0) })
        var elements: [Chem.Element] = []
        for symbol in symbols {
            guard let element = Chem.Element(symbol: String(symbol)) else { throw RowError(reason: "unknown element '\(symbol)'") }
            elements.append(element)
        }
        let numbers = try field("XYZ_Ang").split(whereSeparator: { "[], ".contains($0) })
        guard numbers.count == 3 * elements.count else {
            throw RowError(reason: "\(elements.count) elements but \(numbers.count) coordinates")
        }
        var positions: [SIMD3<Double>] = []
        positions.reserveCapacity(elements.count)
        for i in 0..<elements.count {
            guard let x = Double(numbers[3 * i]), let y = Double(numbers[3 * i + 1]), let z = Double(numbers[3 * i + 2]),
                  x.isFinite, y.isFinite, z.isFinite else {
                throw RowError(reason: "bad coordinates for atom \(i + 1)")
            }
            positions.append(SIMD3(x, y, z))
        }
        if elements.isEmpty { throw RowError(reason: "no atoms") }
        var properties: [Double] = []
        for key in QM9Record.propertyNames {
            let text = try field(key)
            guard let value = Double(text) else { throw RowError(reason: "\(key) '\(text)' is not a number") }
            properties.append(value)
        }
        return QM9Record(index: index, name: name, smiles: try field("SMILES"), inchi: try field("InChi"),
                         elements: elements, positions: positions, properties: properties)
    }
}
