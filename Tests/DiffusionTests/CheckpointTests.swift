import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite(.temporaryDirectories) struct CheckpointTests {
    /// A trainer a few steps in, so every part of the state is non-trivial.
    static func trainedCheckpoint(seed: UInt64 = 0xFEED_FACE_CAFE_BEEF) throws -> Checkpoint {
        let data = InMemoryGraphs.random(count: 10, width: 3, seed: 1)
        let trainer = try Trainer(denoiser: LinearTestDenoiser(featureWidth: 3),
                                  process: try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 3, divisor: 4),
                                  configuration: TrainerConfiguration(batchSize: 4, seed: seed), datasetSize: data.count)
        for _ in 0 ..< 4 { try trainer.step(on: data) }
        return trainer.checkpoint(modelConfiguration: #"{"kind":"linear-test","featureWidth":3}"#)
    }

    /// `<name>.ckpt` in a directory of its own, removed when the test ends.
    static func temporaryURL(_ name: String) throws -> URL {
        try TemporaryDirectory.create(name).appendingPathComponent("\(name).ckpt")
    }

    @Test func roundTripsThroughAFile() throws {
        let checkpoint = try Self.trainedCheckpoint()
        let url = try Self.temporaryURL("roundtrip")
        try checkpoint.write(to: url)
        let loaded = try Checkpoint(contentsOf: url)
        #expect(loaded == checkpoint)
        #expect(loaded.trainer.seed == 0xFEED_FACE_CAFE_BEEF)
        #expect(loaded.state.optimizer.step == 4)
        #expect(loaded.state.clipper.history.count == 5)
        // Overwriting is atomic and leaves a readable file.
        try checkpoint.write(to: url)
        #expect(try Checkpoint(contentsOf: url) == checkpoint)
    }

    @Test func truncatedFilesThrowTruncated() throws {
        let bytes = try Self.trainedCheckpoint().encoded()
        for cut in [0, 5, 12, 40, bytes.count / 2, bytes.count - 9, bytes.count - 1] {
            do {
                _ = try Checkpoint(encoded: bytes.prefix(cut), path: "cut.ckpt")
                Issue.record("a file cut at \(cut) of \(bytes.count) bytes was accepted")
            } catch let error as DiffusionError {
                switch error {
                case .checkpointTruncated(let path, let expected, let actual):
                    #expect(path == "cut.ckpt" && actual == cut && expected > cut)
                case .checkpointCorrupt where cut >= 16 && cut < 16 + 400:
                    break  // cut inside the JSON header: reported as an unreadable header
                default:
                    Issue.record("cut at \(cut): unexpected \(error)")
                }
            }
        }
    }

    @Test func badMagicAndVersionAreReported() throws {
        var bytes = try Self.trainedCheckpoint().encoded()
        var wrongMagic = bytes
        wrongMagic[0] = UInt8(ascii: "X")
        #expect(throws: DiffusionError.checkpointBadMagic(path: "m.ckpt")) { try Checkpoint(encoded: wrongMagic, path: "m.ckpt") }
        bytes[8] = 3
        #expect(throws: DiffusionError.checkpointUnsupportedVersion(path: "v.ckpt", found: 3, supported: 2)) {
            try Checkpoint(encoded: bytes, path: "v.ckpt")
        }
        // Version 2 means half-precision sections; a single-precision header under it is corrupt.
        bytes[8] = 2
        #expect { try Checkpoint(encoded: bytes, path: "v2.ckpt") } throws: { error in
            String(describing: error).contains("corrupt checkpoint: format version 2 with single precision sections")
        }
    }

    @Test func halfPrecisionWeightsRoundTripAtHalfTheSize() throws {
        let checkpoint = try Self.trainedCheckpoint()
        let single = try checkpoint.weightsOnly(), half = try checkpoint.weightsOnly(precision: .half)
        #expect(single.precision == .single && half.precision == .half && half.isWeightsOnly)
        // Full-precision files stay version 1 (older builds read them); half ones are version 2.
        let singleBytes = try single.encoded(), halfBytes = try half.encoded()
        #expect(singleBytes[8] == 1 && halfBytes[8] == 2)
        let weights = checkpoint.state.ema!.weights
        // Two bytes a weight fewer; the header grows by its precision key.
        #expect(singleBytes.count - halfBytes.count == 2 * weights.count - #","precision":"half""#.utf8.count,
                "\(singleBytes.count) vs \(halfBytes.count) bytes for \(weights.count) weights")
        // The exported checkpoint holds exactly what its file holds: each weight rounded to Float16.
        let loaded = try Checkpoint(encoded: halfBytes, path: "half.ckpt")
        #expect(loaded == half && loaded.precision == .half)
        #expect(loaded.state.parameters == weights.map { Float(Float16($0)) })
        let error = zip(loaded.state.parameters, weights).map { abs(Double($0) - Double($1)) / max(abs(Double($1)), 1e-4) }.max()!
        #expect(error > 0 && error <= 1.0 / 2048, "largest relative rounding \(error)")
        // Truncation and corruption are caught as in single precision.
        #expect(throws: DiffusionError.checkpointTruncated(path: "h.ckpt", expectedBytes: halfBytes.count, actualBytes: halfBytes.count - 1)) {
            try Checkpoint(encoded: halfBytes.prefix(halfBytes.count - 1), path: "h.ckpt")
        }
        var flipped = halfBytes
        flipped[flipped.count - 10] ^= 0x01
        #expect { try Checkpoint(encoded: flipped, path: "h.ckpt") } throws: { String(describing: $0).contains("checksum mismatch") }
        // A weight beyond Float16's range is refused, not stored as infinity.
        var large = checkpoint
        large.state.ema!.weights[1] = 1e5
        #expect { try large.weightsOnly(precision: .half) } throws: { String(describing: $0).contains("weight 1 (100000.0) is beyond half precision") }
    }

    @Test func flippedPayloadByteFailsTheChecksum() throws {
        var bytes = try Self.trainedCheckpoint().encoded()
        bytes[bytes.count - 20] ^= 0x40
        do {
            _ = try Checkpoint(encoded: bytes, path: "flip.ckpt")
            Issue.record("a corrupted payload was accepted")
        } catch DiffusionError.checkpointCorrupt(let path, let reason) {
            #expect(path == "flip.ckpt" && reason.contains("checksum"))
        }
        var longer = try Self.trainedCheckpoint().encoded()
        longer.append(0)
        #expect(throws: DiffusionError.checkpointCorrupt(path: "long.ckpt", reason: "1 bytes after the checksum")) {
            try Checkpoint(encoded: longer, path: "long.ckpt")
        }
    }

    /// Section counts whose byte total overflows `Int` (4 × count, or the sum) are a corrupt header, not a trap.
    @Test(arguments: [[Int.max, Int.max, 0, 0, 0], [Int.max / 3, 0, 0, 0, 0], [Int.max / 4, Int.max / 4, Int.max / 4, Int.max / 4, 4]])
    func sectionCountsThatOverflowAreCorrupt(counts: [Int]) throws {
        let bytes = [UInt8](try Self.trainedCheckpoint().encoded())
        let prefix = Checkpoint.magic.count + 8
        let headerLength = Int(bytes[prefix - 4]) | Int(bytes[prefix - 3]) << 8 | Int(bytes[prefix - 2]) << 16 | Int(bytes[prefix - 1]) << 24
        var header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[prefix ..< prefix + headerLength])) as? [String: Any])
        let sections = try #require(header["sections"] as? [[String: Any]])
        header["sections"] = zip(sections, counts).map { section, count in section.merging(["count": count]) { $1 } }
        let newHeader = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let length = UInt32(newHeader.count)
        let lengthBytes = (0 ..< 4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        let corrupted = Array(bytes[0 ..< prefix - 4]) + lengthBytes + newHeader + Array(bytes[(prefix + headerLength)...])
        do {
            _ = try Checkpoint(encoded: Data(corrupted), path: "overflow.ckpt")
            Issue.record("a checkpoint with section counts \(counts) was read")
        } catch DiffusionError.checkpointCorrupt(let path, let reason) {
            #expect(path == "overflow.ckpt")
            #expect(reason.contains("overflow"), "\(reason)")
        }
    }

    @Test func missingFileIsAnIOError() throws {
        let url = try Self.temporaryURL("does-not-exist")
        do {
            _ = try Checkpoint(contentsOf: url)
            Issue.record("reading a missing file succeeded")
        } catch DiffusionError.checkpointIO(let path, _) {
            #expect(path == url.path)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unwritableDestinationIsAnIOError() throws {
        let url = try Self.temporaryURL("no-such-directory").appendingPathComponent("inner.ckpt")
        let checkpoint = try Self.trainedCheckpoint()
        #expect { try checkpoint.write(to: url) } throws: { error in
            guard case DiffusionError.checkpointIO(let path, _) = error else { return false }
            return path == url.path
        }
    }

    @Test func modelMismatchIsReported() throws {
        let checkpoint = try Self.trainedCheckpoint()
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: 2)
        #expect(throws: DiffusionError.checkpointMismatch(path: "checkpoint", reason: "17 parameters saved, model has 10")) {
            try Trainer(denoiser: LinearTestDenoiser(featureWidth: 2), process: process, resumingFrom: checkpoint)
        }
    }
}
