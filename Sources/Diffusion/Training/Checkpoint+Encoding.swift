import Foundation

extension Checkpoint {
    static let sectionNames = ["parameters", "adam.m", "adam.v", "adam.vmax", "ema"]

    /// The file bytes (see `Checkpoint` for the layout).
    public func encoded() throws -> Data {
        let sections: [[Float]] = [state.parameters, state.optimizer.m, state.optimizer.v,
                                   state.optimizer.vMax, state.ema?.weights ?? []]
        let header = CheckpointHeader(
            modelConfiguration: modelConfiguration, trainer: trainer,
            optimizerStep: state.optimizer.step, emaDecay: state.ema?.decay,
            clipperCapacity: state.clipper.capacity, clipperHistory: state.clipper.history,
            generatorState: state.generator.state.map { String($0, radix: 16) },
            datasetSize: state.batches.datasetSize, epoch: state.batches.epoch, position: state.batches.position,
            history: state.history,
            sections: zip(Self.sectionNames, sections).map { CheckpointHeader.Section(name: $0, count: $1.count) },
            precision: precision == .single ? nil : precision, runState: runState)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerBytes = try encoder.encode(header)

        var data = Data()
        data.reserveCapacity(24 + headerBytes.count + precision.bytesPerValue * sections.reduce(0) { $0 + $1.count })
        data.append(contentsOf: Self.magic)
        appendLittleEndian(precision.formatVersion, to: &data)
        appendLittleEndian(UInt32(headerBytes.count), to: &data)
        data.append(headerBytes)
        for section in sections {
            switch precision {
            case .single: section.map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
            case .half: section.map { Float16($0).bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        appendLittleEndian(Self.checksum(data), to: &data)
        return data
    }

    /// Parses and validates file bytes; `path` names the file in errors.
    public init(encoded data: Data, path: String) throws {
        let bytes = [UInt8](data)
        let prefix = Self.magic.count + 8
        guard bytes.count >= Self.magic.count, Array(bytes[0 ..< Self.magic.count]) == Self.magic else {
            if bytes.count < Self.magic.count, Array(Self.magic.prefix(bytes.count)) == bytes {
                throw DiffusionError.checkpointTruncated(path: path, expectedBytes: prefix, actualBytes: bytes.count)
            }
            throw DiffusionError.checkpointBadMagic(path: path)
        }
        guard bytes.count >= prefix else {
            throw DiffusionError.checkpointTruncated(path: path, expectedBytes: prefix, actualBytes: bytes.count)
        }
        let version = readUInt32(bytes, at: Self.magic.count)
        guard (1 ... Self.formatVersion).contains(version) else {
            throw DiffusionError.checkpointUnsupportedVersion(path: path, found: version, supported: Self.formatVersion)
        }
        let headerLength = Int(readUInt32(bytes, at: Self.magic.count + 4))
        guard bytes.count >= prefix + headerLength + 8 else {
            throw DiffusionError.checkpointTruncated(path: path, expectedBytes: prefix + headerLength + 8, actualBytes: bytes.count)
        }
        let header: CheckpointHeader
        do {
            header = try JSONDecoder().decode(CheckpointHeader.self, from: Data(bytes[prefix ..< prefix + headerLength]))
        } catch {
            throw DiffusionError.checkpointCorrupt(path: path, reason: "unreadable header: \(error)")
        }
        guard header.sections.map(\.name) == Self.sectionNames, header.sections.allSatisfy({ $0.count >= 0 }) else {
            throw DiffusionError.checkpointCorrupt(path: path, reason: "unexpected sections \(header.sections)")
        }
        let precision = header.precision ?? .single
        guard precision.formatVersion == version else {
            throw DiffusionError.checkpointCorrupt(path: path, reason: "format version \(version) with \(precision) precision sections")
        }
        let width = precision.bytesPerValue
        // Checked arithmetic: a corrupt header's counts must not trap on overflow.
        var expected = prefix + headerLength + 8
        for section in header.sections {
            let (sectionBytes, multiplyOverflow) = section.count.multipliedReportingOverflow(by: width)
            let (sum, addOverflow) = expected.addingReportingOverflow(sectionBytes)
            guard !multiplyOverflow, !addOverflow else {
                throw DiffusionError.checkpointCorrupt(path: path, reason: "section sizes \(header.sections.map(\.count)) overflow a 64-bit byte count")
            }
            expected = sum
        }
        guard bytes.count >= expected else {
            throw DiffusionError.checkpointTruncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        guard bytes.count == expected else {
            throw DiffusionError.checkpointCorrupt(path: path, reason: "\(bytes.count - expected) bytes after the checksum")
        }
        let stored = readUInt64(bytes, at: expected - 8)
        let actual = Self.checksum(bytes[0 ..< expected - 8])
        guard stored == actual else {
            throw DiffusionError.checkpointCorrupt(
                path: path, reason: "checksum mismatch (stored \(String(stored, radix: 16)), computed \(String(actual, radix: 16)))")
        }
        var offset = prefix + headerLength
        var sections: [[Float]] = []
        for section in header.sections {
            switch precision {
            case .single: sections.append((0 ..< section.count).map { k in Float(bitPattern: readUInt32(bytes, at: offset + 4 * k)) })
            case .half: sections.append((0 ..< section.count).map { k in Float(Float16(bitPattern: readUInt16(bytes, at: offset + 2 * k))) })
            }
            offset += width * section.count
        }
        self = try Self.assemble(header: header, sections: sections, path: path)
        self.precision = precision
    }

    private static func assemble(header: CheckpointHeader, sections: [[Float]], path: String) throws -> Checkpoint {
        let n = sections[0].count
        func corrupt(_ reason: String) -> DiffusionError { .checkpointCorrupt(path: path, reason: reason) }
        // A weights-only checkpoint (`Checkpoint.weightsOnly`) has no optimiser moments at all.
        let weightsOnly = sections[1].isEmpty && sections[2].isEmpty && sections[3].isEmpty && n > 0
        guard weightsOnly || (sections[1].count == n && sections[2].count == n) else {
            throw corrupt("optimizer moments hold \(sections[1].count) and \(sections[2].count) values for \(n) parameters")
        }
        guard weightsOnly || sections[3].count == (header.trainer.optimizer.amsgrad ? n : 0) else {
            throw corrupt("amsgrad maximum holds \(sections[3].count) values for \(n) parameters")
        }
        guard sections[4].count == (header.emaDecay == nil ? 0 : n) else {
            throw corrupt("EMA holds \(sections[4].count) values for \(n) parameters")
        }
        let words = header.generatorState.compactMap { UInt64($0, radix: 16) }
        guard words.count == header.generatorState.count else { throw corrupt("generator state is not hexadecimal") }
        do {
            let state = TrainingState(
                parameters: sections[0],
                optimizer: AdamWState(step: header.optimizerStep, m: sections[1], v: sections[2], vMax: sections[3]),
                ema: try header.emaDecay.map { try ExponentialMovingAverage(decay: $0, initialWeights: sections[4]) },
                clipper: try AdaptiveGradientClipper(capacity: header.clipperCapacity, history: header.clipperHistory),
                generator: try Xoshiro256StarStar(state: words),
                batches: try BatchSampler(datasetSize: header.datasetSize, batchSize: header.trainer.batchSize,
                                          seed: header.trainer.seed, epoch: header.epoch, position: header.position),
                history: header.history)
            var checkpoint = Checkpoint(modelConfiguration: header.modelConfiguration, trainer: header.trainer, state: state)
            checkpoint.runState = header.runState
            return checkpoint
        } catch let error as DiffusionError {
            throw corrupt("inconsistent header: \(error)")
        }
    }

    /// FNV-1a, 64-bit (Fowler, Noll & Vo).
    static func checksum<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
}

private func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    var value: UInt32 = 0
    for k in 0 ..< 4 { value |= UInt32(bytes[offset + k]) << (8 * k) }
    return value
}

private func readUInt16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
}

private func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    var value: UInt64 = 0
    for k in 0 ..< 8 { value |= UInt64(bytes[offset + k]) << (8 * k) }
    return value
}
