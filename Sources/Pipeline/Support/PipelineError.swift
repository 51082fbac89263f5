/// Errors of the rgdm pipeline (commands, datasets, runs); each names the
/// file and what is wrong with it.
public enum PipelineError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidDataset(path: String, reason: String)
    case invalidModel(path: String, reason: String)
    case invalidRun(path: String, reason: String)
    case unsupportedOutput(path: String, reason: String)
    /// A record of an input file failed in a way the job cannot step over.
    case recordFailed(file: String, record: Int, reason: String)
    /// A worker process failed outside any record; `reason` carries its own message.
    case workerFailed(reason: String)
    /// A reward specification (`--reward`) names no known reward.
    case unknownReward(term: String, known: [String])
    /// A reward specification that does not parse or cannot be built (a missing program, a bad argument).
    case invalidReward(specification: String, reason: String)
    /// A dataset has no property of this name; `available` lists those it has.
    case unknownProperty(path: String, property: String, available: [String])
    /// A conditioning request that cannot be met (a NaN target, a target for an unconditional model).
    case invalidCondition(reason: String)
    /// A `--split` that does not name a split or a part of one (`train`, `train:1/2`).
    case invalidSplit(String, reason: String)

    public var description: String {
        switch self {
        case let .invalidDataset(path, reason): "dataset \(path): \(reason)"
        case let .invalidModel(path, reason): "model \(path): \(reason)"
        case let .invalidRun(path, reason): "run \(path): \(reason)"
        case let .unsupportedOutput(path, reason): "output \(path): \(reason)"
        case let .recordFailed(file, record, reason): "\(file): record \(record): \(reason)"
        case let .workerFailed(reason): reason
        case let .unknownReward(term, known): "unknown reward '\(term)'; known rewards: \(known.joined(separator: ", "))"
        case let .invalidReward(specification, reason): "reward '\(specification)': \(reason)"
        case let .unknownProperty(path, property, available):
            "dataset \(path): no property '\(property)'; "
                + (available.isEmpty ? "it stores no properties" : "it has \(available.joined(separator: ", "))")
        case let .invalidCondition(reason): reason
        case let .invalidSplit(text, reason): "split '\(text)': \(reason)"
        }
    }
}
