import COpenBabel

/// Open Babel parsing one record at a time, from text rgdm has delimited.
/// Internal: `MoleculeReader` is the public face.
final class OBRecordParser {
    private let pointer: OpaquePointer
    private let scratch: OBMoleculeHandle

    /// A parser for `format`; nil if Open Babel cannot read it.
    init?(format: MoleculeFormat) {
        guard let pointer = OpenBabelLock.run({ rgdm_ob_parser_new(format.name) }) else { return nil }
        self.pointer = pointer
        scratch = OpenBabelLock.run { OBMoleculeHandle() }
    }

    deinit {
        let pointer = self.pointer
        OpenBabelLock.run { rgdm_ob_parser_free(pointer) }
    }

    /// The molecule in `text` with its atoms of unknown element, or Open Babel's reason for failing.
    func parse(_ text: [UInt8]) -> Result<(Molecule, [Int]), ParseFailure> {
        OpenBabelLock.run {
            let status = text.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    rgdm_ob_parser_parse(pointer, chars.baseAddress, chars.count, scratch.pointer)
                }
            }
            guard status == 0 else { return .failure(ParseFailure(reason: OpenBabelLock.lastError)) }
            return .success(scratch.molecule())
        }
    }

    struct ParseFailure: Error {
        var reason: String
    }
}
