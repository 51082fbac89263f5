import Foundation
import Testing
import TestSupport
@testable import Chem

/// Every malformed input gives a typed error naming the file and record, and
/// reading goes on past a bad record.
@Suite(.serialized, .temporaryDirectories) struct MalformedInputTests {
    /// Results of reading `text` from a file called `name`.
    func read(_ name: String, _ text: String) throws -> (path: String, results: [Result<Molecule, ChemError>]) {
        let path = try Fixture.file(name, text)
        return (path, Array(try MoleculeReader(contentsOf: path)))
    }

    @Test func badSMILESIsReportedAndReadingGoesOn() throws {
        let (path, results) = try read("mixed.smi", "CCO ethanol\nC1CC( broken\nc1ccccc1 benzene\n")
        #expect(results.count == 3)
        guard case .failure(.badRecord(let file, let record, _)) = results[1] else {
            Issue.record("expected a bad record, got \(results[1])")
            return
        }
        #expect(file == path)
        #expect(record == 2)
        #expect((try? results[2].get())?.title == "benzene")
    }

    static let methanolBlock = """
    methanol
      rgdm

      2  1  0  0  0  0  0  0  0  0999 V2000
        0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
        1.4300    0.0000    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0
      1  2  1  0  0  0  0
    M  END
    $$$$

    """

    /// A multi-record CML file ends with </cml>, which is no record; a file
    /// cut inside a record is still an error (the last one: XML errors are fatal).
    @Test func truncatedMultiRecordCMLIsAnError() throws {
        let molecules = try ["CCO ethanol", "c1ccccc1N aniline", "C[NH3+] methylammonium"].map {
            try Molecule(string: $0, format: .smiles).addingHydrogens()
        }
        let whole = try Fixture.scratch() + "/whole.cml"
        try Molecule.write(molecules, to: whole)
        #expect(try Molecule.readAll(contentsOf: whole).map(\.title) == ["ethanol", "aniline", "methylammonium"])
        let text = try String(contentsOfFile: whole, encoding: .utf8)
        let (path, results) = try read("cut.cml", String(text.prefix(text.count * 3 / 5)))
        #expect(results.count >= 2)
        #expect((try? results[0].get())?.title == "ethanol")
        guard case .failure(.badRecord(let file, let record, _)) = results.last else {
            Issue.record("expected the cut record to be a bad record, got \(results.last.map { "\($0)" } ?? "nothing")")
            return
        }
        #expect(file == path)
        #expect(record == results.count)
    }

    @Test func truncatedSDFRecordIsAnError() throws {
        let truncated = Self.methanolBlock + "second\n  rgdm\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000"
        let (path, results) = try read("truncated.sdf", truncated)
        #expect(results.count == 2)
        #expect(results[0].isSuccess)
        guard case .failure(.malformedRecord(path, 2, 14, let reason)) = results[1] else {
            Issue.record("expected the cut atom line as a malformed record, got \(results[1])")
            return
        }
        #expect(reason.contains("atom line too short"))
        // Lenient reading leaves it to Open Babel, which fails the record too.
        let lenient = Array(try MoleculeReader(contentsOf: path, options: .lenient))
        #expect(lenient.count == 2 && lenient[0].isSuccess)
        #expect(lenient[1].error == .badRecord(file: path, record: 2, reason: lenient[1].error?.reason ?? ""))
    }

    @Test func countsThatLieAreAnErrorAndTheNextRecordStillReads() throws {
        let lying = Self.methanolBlock.replacingOccurrences(of: "  2  1  0", with: "  5  1  0") + Self.methanolBlock
        let (_, results) = try read("lying.sdf", lying)
        #expect(results.count == 2)
        #expect(results[0].error?.record == 1)
        #expect(results[1].isSuccess)
    }

    @Test func nanCoordinatesAreRejected() throws {
        let (path, results) = try read("nan.xyz", "2\nbad\nC 0 0 0\nO nan 0 0\n")
        #expect(results.count == 1)
        #expect(results[0].error == .malformedRecord(file: path, record: 1, line: 4, reason: "x coordinate 'nan' is not a number"))
        // Read leniently, Open Babel takes the NaN and the molecule check rejects it.
        let lenient = Array(try MoleculeReader(contentsOf: path, options: .lenient))
        guard case .failure(.invalidMolecule(let file, 1, let reason)) = lenient.first else {
            Issue.record("expected invalid molecule, got \(lenient)")
            return
        }
        #expect(file == path)
        #expect(reason.contains("atom 2"))
    }

    @Test func unknownElementIsRejected() throws {
        let (_, results) = try read("unknown.xyz", "2\nbad\nC 0 0 0\nQq 1.4 0 0\n")
        #expect(results.count == 1)
        #expect(results[0].error?.record == 1)
    }

    @Test func emptyFileIsAnError() throws {
        let (path, results) = try read("empty.sdf", "")
        #expect(results.count == 1)
        #expect(results[0].error == .emptyInput(file: path))
    }

    @Test func binaryGarbageIsAnError() throws {
        var bytes = [UInt8](repeating: 0, count: 512)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        bytes[10] = 0
        let path = try Fixture.scratch() + "/garbage.sdf"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(throws: ChemError.badRecord(file: path, record: 1, reason: "binary data, not a text molecule file")) {
            try MoleculeReader(contentsOf: path)
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect {
            try MoleculeReader(contentsOf: "/nonexistent/file.sdf")
        } throws: { error in
            if case ChemError.io(let file, _) = error { return file == "/nonexistent/file.sdf" }
            return false
        }
    }
}

extension Result where Failure == ChemError {
    var isSuccess: Bool { if case .success = self { return true } else { return false } }
    var error: ChemError? { if case .failure(let error) = self { return error } else { return nil } }
}

extension ChemError {
    var reason: String? {
        switch self {
        case .badRecord(_, _, let reason), .invalidMolecule(_, _, let reason), .badRow(_, _, let reason): return reason
        default: return nil
        }
    }
}
