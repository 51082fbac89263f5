/// Every failure of the HDF5 layer, with the file, the object inside it and the reason in words.
///
/// `object` is an HDF5 path such as `/02691156/train` or `/data`; `"/"` stands for the file itself.
public enum HDF5Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist, is not HDF5, or could not be opened.
    case cannotOpen(file: String, reason: String)
    /// The file (or its temporary twin) could not be created, flushed or renamed into place.
    case cannotWrite(file: String, reason: String)
    /// The named group, dataset or attribute is not in the file.
    case missing(file: String, object: String, kind: String)
    /// The dataset exists but has a different number of dimensions than the caller needs.
    case wrongRank(file: String, dataset: String, expected: Int, shape: [Int])
    /// The dataset's or attribute's element type cannot be read as the type asked for.
    case wrongType(file: String, object: String, expected: String, actual: String)
    /// A row range, shape or argument does not fit the dataset.
    case invalidRequest(file: String, object: String, reason: String)
    /// An HDF5 library call failed; `call` names it.
    case libraryFailure(file: String, object: String, call: String)
    /// The file was used after `commit()` or `close()`.
    case closed(file: String)

    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "\(file): cannot open as HDF5: \(reason)"
        case let .cannotWrite(file, reason):
            return "\(file): cannot write: \(reason)"
        case let .missing(file, object, kind):
            return "\(file): no \(kind) '\(object)'"
        case let .wrongRank(file, dataset, expected, shape):
            return "\(file): dataset '\(dataset)' has rank \(shape.count) (shape \(shape)), expected rank \(expected)"
        case let .wrongType(file, object, expected, actual):
            return "\(file): '\(object)' holds \(actual), expected \(expected)"
        case let .invalidRequest(file, object, reason):
            return "\(file): '\(object)': \(reason)"
        case let .libraryFailure(file, object, call):
            return "\(file): '\(object)': HDF5 call \(call) failed"
        case let .closed(file):
            return "\(file): the HDF5 file was already committed or closed"
        }
    }
}
