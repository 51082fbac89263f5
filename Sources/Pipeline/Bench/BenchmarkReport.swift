import Foundation

/// A benchmark's figures as `rgdm bench` prints them: text lines, or one JSON object (`--json`).
protocol BenchmarkReport {
    /// The figures as text, one line each.
    var lines: [String] { get }
    /// The figures as one JSON object on one line, keys sorted.
    func json() throws -> String
}

enum BenchmarkJSON {
    /// `value` as one line of JSON with sorted keys; property names turn into snake case when `snakeCase`
    /// (the peers' key style).
    static func encode(_ value: some Encodable, snakeCase: Bool) throws -> String {
        let encoder = JSONEncoder()
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
