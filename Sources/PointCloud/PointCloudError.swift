import HDF5

/// Every failure of the PointCloud module outside HDF5 itself, naming the file and the element
/// (header line, vertex, face, point, dataset) and the reason in words.
public enum PointCloudError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not follow its format (bad header, wrong field count, bad number, bad index).
    case malformed(file: String, element: String, reason: String)
    /// The file ends before the elements its header promised.
    case truncated(file: String, element: String, reason: String)
    /// A coordinate is NaN or infinite.
    case nonFinite(file: String, element: String)
    /// The file holds no points or no surface (zero triangles, zero area).
    case empty(file: String, reason: String)
    /// The extension or content is not a format this module reads or writes.
    case unsupportedFormat(file: String, reason: String)
    /// Reading or writing the file failed at the operating-system level.
    case io(file: String, reason: String)
    /// A failure inside an HDF5 file.
    case hdf5(HDF5Error)
    /// A request that does not fit the data (too many points asked for, sets of unequal size, …).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .malformed(file, element, reason): return "\(file): \(element): \(reason)"
        case let .truncated(file, element, reason): return "\(file): \(element): truncated: \(reason)"
        case let .nonFinite(file, element): return "\(file): \(element): coordinate is NaN or infinite"
        case let .empty(file, reason): return "\(file): empty: \(reason)"
        case let .unsupportedFormat(file, reason): return "\(file): unsupported format: \(reason)"
        case let .io(file, reason): return "\(file): \(reason)"
        case let .hdf5(error): return error.description
        case let .invalidRequest(reason): return reason
        }
    }
}
