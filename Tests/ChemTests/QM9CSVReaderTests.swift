import Foundation
import Testing
import TestSupport
@testable import Chem

@Suite(.temporaryDirectories) struct QM9CSVReaderTests {
    @Test func readsEveryRowWithItsGeometryAndProperties() throws {
        let records = try QM9CSVReader(path: Fixture.path("qm9-sample.csv")).map { try $0.get() }
        #expect(records.count == 60)
        #expect(records[0].name == "dsgdb9nsd_000001")
        #expect(records[0].elements.map(\.symbol) == ["C", "H", "H", "H", "H"])
        #expect(abs(records[0].positions[0].y - 1.0858041578) < 1e-12)
        #expect(records.allSatisfy { $0.properties.count == QM9Record.propertyNames.count })
        // GDB indices increase; the uncharacterised molecules (58, 61…) are absent, as in qm9pack.
        #expect(records.map(\.index) == records.map(\.index).sorted())
        #expect(!records.map(\.index).contains(58))
    }

    @Test func badRowsAreReportedWithTheirLine() throws {
        let text = try String(contentsOfFile: Fixture.path("qm9-sample.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "'C'", with: "'Qq'")
        let path = try Fixture.file("bad.csv", lines.prefix(4).joined(separator: "\n") + "\n")
        let results = Array(try QM9CSVReader(path: path))
        #expect(results.count == 3)
        guard case .failure(.badRow(let file, let line, let reason)) = results[0] else {
            Issue.record("expected a bad row, got \(results[0])")
            return
        }
        #expect(file == path && line == 2 && reason.contains("Qq"))
        #expect((try? results[1].get())?.smiles == "N")
    }
}
