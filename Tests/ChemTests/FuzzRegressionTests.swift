import Foundation
import Testing
import TestSupport
@testable import Chem

/// Inputs the fuzzers (scripts/fuzz.sh) found crashing a reader, kept in Fixtures/fuzz: each must
/// now end in a typed error naming the file and the record, and reading must go on.
@Suite(.serialized) struct FuzzRegressionTests {
    /// Model 3's second HETATM line has numbers in the coordinate columns but blanks where the
    /// atom serial, name and residue go: rgdm's checks pass it, Open Babel's PDB reader throws
    /// a C++ exception (std::stoi on a blank field), which crossed the C API and ended the
    /// process in std::terminate. The shim now turns it into the record's error.
    @Test func anExceptionInOpenBabelIsTheRecordsErrorAndReadingGoesOn() throws {
        let path = Fixture.path("fuzz/pdb-open-babel-throws.pdb")
        let results = Array(try MoleculeReader(contentsOf: path))
        #expect(results.count == 3)
        guard results.count == 3 else { return }
        guard case let .failure(.malformedRecord(file, record, line, _)) = results[0] else {
            Issue.record("record 1: \(results[0])"); return
        }
        #expect(file == path && record == 1 && line == 2)
        guard case let .failure(.badRecord(file, record, reason)) = results[2] else {
            Issue.record("record 3: \(results[2])"); return
        }
        #expect(file == path && record == 3)
        #expect(reason.contains("Open Babel threw an exception"), "\(reason)")
    }
}
