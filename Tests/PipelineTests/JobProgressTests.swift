import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Jobs report progress and rejects through callbacks; the commands draw and print them.
@Suite(.temporaryDirectories) struct JobProgressTests {
    @Test func evaluationReportsEachRecordAndEachReject() throws {
        let dir = try TemporaryDirectory.create("job-progress")
        let file = dir.appendingPathComponent("three.smi").path
        try "CCO ethanol\nC1CC( broken\nc1ccccc1 benzene\n".write(toFile: file, atomically: true, encoding: .utf8)
        var events: [JobProgress] = [], reasons: [String] = []
        let outcome = try MoleculeEvaluation.run(files: [file], format: nil, reference: nil, workers: 1,
                                                 progress: { events.append($0) }, reject: { reasons.append($0) })
        #expect(events == [.done(1), .done(2), .done(3), .finished(rejected: nil)])
        #expect(outcome.rejected == 1 && outcome.metrics.count == 2)
        #expect(reasons.count == 1 && reasons[0].contains("record 2"))
    }

    @Test func shapePreprocessingCountsItsRejects() throws {
        let dir = try TemporaryDirectory.create("job-progress-shapes")
        try "OFF\n0 0 0\n".write(toFile: dir.appendingPathComponent("empty.off").path, atomically: true, encoding: .utf8)
        let job = ShapePreprocessJob(sources: [.procedural(.mug, index: 0), .file(ShapeInput(path: dir.appendingPathComponent("empty.off").path, category: "x"))],
                                     points: 16, normalization: .none, subsampling: .random, splitFractions: [1, 0, 0], seed: 0,
                                     output: dir.appendingPathComponent("s.h5").path, rejectsPath: dir.appendingPathComponent("s.rejects.tsv").path)
        let events = EventLog()
        let summary = try job.run(workers: 1) { events.append($0) }
        #expect(summary.rejected.count == 1)
        #expect(events.all == [.advanced(rejected: 0), .advanced(rejected: 1), .finished(rejected: 1)])
    }
}

/// Events collected from worker threads.
private final class EventLog: @unchecked Sendable {
    private var events: [JobProgress] = []
    private let lock = NSLock()
    func append(_ event: JobProgress) { lock.lock(); events.append(event); lock.unlock() }
    var all: [JobProgress] { lock.lock(); defer { lock.unlock() }; return events }
}
