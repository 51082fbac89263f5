import Foundation

/// Every command-line option can also come from a JSON config file:
///
///     rgdm train --config run.json --steps 2000
///
/// with `run.json` = `{"dataset": "datasets/qm9.h5", "layers": 4, "ema": true}`.
/// Keys are option names without the leading dashes; values are strings,
/// numbers, booleans (a flag when true, omitted when false) or arrays
/// (a repeated option). Options given on the command line win over the file,
/// because the file's options are placed before them and the last occurrence
/// of an option is the one that counts.
public enum ConfigFile {
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case notAnObject(path: String)
        case unsupportedValue(path: String, key: String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason): "config file \(path): \(reason)"
            case let .notAnObject(path): "config file \(path): the top level must be a JSON object of option names"
            case let .unsupportedValue(path, key): "config file \(path): key \"\(key)\": values must be strings, numbers, booleans or arrays of them"
            }
        }
    }

    /// Returns `arguments` with every `--config FILE` replaced by the options it holds.
    public static func expand(_ arguments: [String]) throws -> [String] {
        var result: [String] = []
        var fileOptions: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--config", index + 1 < arguments.count {
                fileOptions += try options(inFile: arguments[index + 1])
                index += 2
                continue
            }
            if argument.hasPrefix("--config=") {
                fileOptions += try options(inFile: String(argument.dropFirst("--config=".count)))
                index += 1
                continue
            }
            result.append(argument)
            index += 1
        }
        guard !fileOptions.isEmpty else { return result }
        // Subcommand names come first; the file's options go right after them.
        let firstOption = result.firstIndex { $0.hasPrefix("-") } ?? result.count
        result.insert(contentsOf: fileOptions, at: firstOption)
        return result
    }

    /// The command-line tokens a config file stands for, keys in sorted order.
    public static func options(inFile path: String) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Failure.unreadable(path: path, reason: error.localizedDescription)
        }
        let dictionary: [String: Value]
        do { dictionary = try JSONDecoder().decode([String: Value].self, from: data) } catch DecodingError.typeMismatch {
            throw Failure.notAnObject(path: path)
        } catch {
            throw Failure.unreadable(path: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        var tokens: [String] = []
        for key in dictionary.keys.sorted() {
            let flag = "--" + key
            let values: [Value]
            if case let .list(items) = dictionary[key] { values = items } else { values = [dictionary[key] ?? .flag(false)] }
            for value in values {
                switch value {
                case let .flag(on): if on { tokens.append(flag) }
                case let .text(text): tokens += [flag, text]
                case .list: throw Failure.unsupportedValue(path: path, key: key)
                }
            }
        }
        return tokens
    }

    /// One value of a config file: a scalar becomes option text, a Boolean a flag.
    enum Value: Decodable {
        case text(String)
        case flag(Bool)
        case list([Value])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let bool = try? container.decode(Bool.self) { self = .flag(bool) }
            else if let int = try? container.decode(Int.self) { self = .text(String(int)) }
            else if let double = try? container.decode(Double.self) { self = .text(String(double)) }
            else if let string = try? container.decode(String.self) { self = .text(string) }
            else { self = .list(try container.decode([Value].self)) }
        }
    }
}
