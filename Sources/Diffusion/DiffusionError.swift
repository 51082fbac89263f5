/// Errors raised by the Diffusion module. Every case says what was wrong and
/// where: the file, the quantity, the offending value.
public enum DiffusionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A noise schedule could not be built (bad T, non-finite or non-monotone values).
    case invalidSchedule(String)
    /// A configuration value is out of range (learning rate, decay, scales, …).
    case invalidConfiguration(String)
    /// A histogram of node counts is empty, negative or all zero.
    case invalidHistogram(String)
    /// A batch from a data source does not match its layout or the model.
    case invalidBatch(String)
    /// A saved random-number-generator state is not usable (e.g. all zero).
    case invalidGeneratorState(String)
    /// Training produced a loss that is NaN or infinite.
    case nonFiniteLoss(step: Int, loss: Double)
    /// Reading or writing a checkpoint failed at the file-system level.
    case checkpointIO(path: String, reason: String)
    /// A checkpoint file does not start with the checkpoint magic bytes.
    case checkpointBadMagic(path: String)
    /// A checkpoint was written by an unknown format version.
    case checkpointUnsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// A checkpoint ends before the sizes its header announces.
    case checkpointTruncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// A checkpoint's header, sections or checksum are inconsistent.
    case checkpointCorrupt(path: String, reason: String)
    /// A checkpoint does not fit the model or trainer it is loaded into.
    case checkpointMismatch(path: String, reason: String)
    /// The ranks of a data-parallel job do not hold the same run (seen on rank `rank`).
    case ranksDisagree(rank: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidSchedule(let reason): "invalid noise schedule: \(reason)"
        case .invalidConfiguration(let reason): "invalid configuration: \(reason)"
        case .invalidHistogram(let reason): "invalid node-count histogram: \(reason)"
        case .invalidBatch(let reason): "invalid batch: \(reason)"
        case .invalidGeneratorState(let reason): "invalid generator state: \(reason)"
        case .nonFiniteLoss(let step, let loss): "training step \(step) produced a non-finite loss (\(loss))"
        case .checkpointIO(let path, let reason): "\(path): \(reason)"
        case .checkpointBadMagic(let path): "\(path): not an rgdm checkpoint (bad magic bytes)"
        case .checkpointUnsupportedVersion(let path, let found, let supported):
            "\(path): checkpoint format version \(found) is not supported (this build reads \(supported))"
        case .checkpointTruncated(let path, let expected, let actual):
            "\(path): checkpoint truncated: expected \(expected) bytes, found \(actual)"
        case .checkpointCorrupt(let path, let reason): "\(path): corrupt checkpoint: \(reason)"
        case .checkpointMismatch(let path, let reason): "\(path): checkpoint does not fit: \(reason)"
        case .ranksDisagree(let rank, let reason): "rank \(rank) of the data-parallel job: \(reason)"
        }
    }
}
