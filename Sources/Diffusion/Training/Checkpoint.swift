import Foundation

/// A saved training run: the caller's model configuration (opaque JSON
/// text), the trainer configuration and the full `TrainingState`.
///
/// File format, version 1 (all integers little-endian):
///
///     magic "RGDMCKPT"                         8 bytes
///     format version                            UInt32
///     header length H                           UInt32
///     header: UTF-8 JSON (`CheckpointHeader`)   H bytes
///     payload: Float32 sections, in the order
///              and sizes the header lists        4 · Σ counts bytes
///     FNV-1a 64 checksum of all bytes above      UInt64
///
/// Version 2 is the same with IEEE half-precision (Float16, 2 bytes) sections,
/// marked `"precision": "half"` in the header: weights-only files for shipping
/// (`weightsOnly(precision: .half)`). Full-precision files are still written as
/// version 1, so older builds keep reading them.
///
/// Written atomically (temporary file, then rename), so a crash mid-write
/// leaves the previous checkpoint intact.
public struct Checkpoint: Sendable, Equatable {
    /// The newest format version this build reads and writes (1: Float32 sections, 2: Float16).
    public static let formatVersion: UInt32 = 2
    /// The first eight bytes of every checkpoint file.
    public static let magic = Array("RGDMCKPT".utf8)

    /// How the numbers of a checkpoint file are stored.
    public enum Precision: String, Codable, Sendable, CaseIterable {
        /// Float32: exact; what training writes.
        case single
        /// Float16 (relative rounding ≤ 2⁻¹¹): half the bytes, for shipped weights.
        case half

        var bytesPerValue: Int { self == .half ? 2 : 4 }
        var formatVersion: UInt32 { self == .half ? 2 : 1 }
    }

    public var modelConfiguration: String
    public var trainer: TrainerConfiguration
    public var state: TrainingState
    /// The state of the loop that fed the trainer, when it has one beyond the data order
    /// (a fine-tuning run's round, pool and reward counts): the caller's JSON, stored verbatim
    /// in the header, so that the loop resumes exactly.
    public var runState: String?
    /// How `write` stores the numbers; a file read keeps its own.
    public var precision = Precision.single

    public init(modelConfiguration: String, trainer: TrainerConfiguration, state: TrainingState) {
        self.modelConfiguration = modelConfiguration
        self.trainer = trainer
        self.state = state
    }

    /// Whether this holds weights only (`weightsOnly()`): it samples, but cannot resume training.
    public var isWeightsOnly: Bool { state.optimizer.m.isEmpty && !state.parameters.isEmpty }

    /// The sampling weights alone, for shipping a model: θ replaced by its EMA
    /// (when there is one), no optimiser moments and no EMA copy — a fifth of
    /// the size, a tenth in `.half` precision (the weights rounded to Float16
    /// here, so the checkpoint samples exactly as the file it writes). Model
    /// card, trainer settings, step and loss history stay. Throws if a weight
    /// is beyond Float16's range (±65,504).
    public func weightsOnly(precision: Precision = .single) throws -> Checkpoint {
        var copy = self
        copy.state.parameters = state.ema?.weights ?? state.parameters
        copy.state.ema = nil
        copy.runState = nil
        copy.state.optimizer = AdamWState(step: state.optimizer.step, m: [], v: [], vMax: [])
        copy.precision = precision
        if precision == .half {
            if let k = copy.state.parameters.firstIndex(where: { !Float16($0).isFinite }) {
                throw DiffusionError.invalidConfiguration(
                    "weight \(k) (\(copy.state.parameters[k])) is beyond half precision's range; export in single precision")
            }
            copy.state.parameters = copy.state.parameters.map { Float(Float16($0)) }
        }
        return copy
    }

    /// Writes the checkpoint atomically.
    public func write(to url: URL) throws {
        let data = try encoded()
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw DiffusionError.checkpointIO(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Reads and validates a checkpoint file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DiffusionError.checkpointIO(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(encoded: data, path: url.path)
    }
}

/// The JSON header of a checkpoint file.
struct CheckpointHeader: Codable {
    struct Section: Codable, Equatable {
        var name: String
        var count: Int
    }

    var format = "rgdm-checkpoint"
    var modelConfiguration: String
    var trainer: TrainerConfiguration
    var optimizerStep: Int
    var emaDecay: Float?
    var clipperCapacity: Int
    var clipperHistory: [Double]
    /// xoshiro256** state words as hexadecimal text.
    var generatorState: [String]
    var datasetSize: Int
    var epoch: Int
    var position: Int
    var history: TrainingHistory
    var sections: [Section]
    /// How the sections are stored: nil in version 1 (single).
    var precision: Checkpoint.Precision?
    /// `Checkpoint.runState`, absent when nil.
    var runState: String?
}
