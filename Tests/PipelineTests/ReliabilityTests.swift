import Chem
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Malformed and hostile inputs through the real `rgdm` executable: every
/// run ends with a typed error naming the file and record, or with the record
/// rejected while the job goes on; never a signal, never a hang (each run is
/// bounded and killed if it outlives its bound).
@Suite(.serialized, .temporaryDirectories) struct ReliabilityTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = repository.appendingPathComponent("Tests/ChemTests/Fixtures/malformed").path

    /// One row of the corpus's expected.tsv.
    struct Expected {
        var path: String
        var records: Int
        var record: Int
        var error: String
    }

    static func expectations() throws -> [Expected] {
        let text = try String(contentsOfFile: corpus + "/expected.tsv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { row in
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let records = Int(fields[1]), let record = Int(fields[2]) else { return nil }
            return Expected(path: corpus + "/" + fields[0], records: records, record: record, error: fields[3])
        }
    }

    struct Run {
        var status: Int32
        var signaled: Bool
        var output: String
        var errors: String
    }

    /// Runs the rgdm executable built beside the tests, killing it after `bound` seconds.
    func rgdm(_ arguments: [String], bound: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) throws -> Run {
        let executable = try #require(RGDMExecutable.path, "the rgdm executable is built with the tests")
        let directory = try TemporaryDirectory.create("run")
        let out = directory.appendingPathComponent("out").path, err = directory.appendingPathComponent("err").path
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        let deadline = Date().addingTimeInterval(bound)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("rgdm \(arguments.prefix(2).joined(separator: " ")) still running after \(bound) s", sourceLocation: sourceLocation)
        }
        process.waitUntilExit()
        let run = Run(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                      output: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      errors: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
        #expect(!run.signaled, "rgdm ended by signal \(run.status): \(run.errors)", sourceLocation: sourceLocation)
        return run
    }

    /// "molecules           12" → 12.
    func count(_ label: String, in text: String) -> Int? {
        text.split(separator: "\n").first { $0.hasPrefix(label) }.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test func theCorpusThroughEvaluateNamesEveryBadRecordAndGoesOn() throws {
        let expected = try Self.expectations()
        #expect(expected.count >= 50)
        let run = try rgdm(["evaluate", "molecules"] + expected.map(\.path) + ["--threads", "2"])
        #expect(run.status == 0, "\(run.errors)")
        let messages = run.errors.split(separator: "\n").map(String.init)
        for file in expected {
            let named = file.error == "emptyInput" ? "\(file.path): no molecule" : "\(file.path): record \(file.record)"
            #expect(messages.contains { $0.contains(named) }, "no message names \(named)")
        }
        #expect(!run.errors.contains("shard-"), "a message names a temporary shard file")
        let good = expected.reduce(0) { $0 + $1.records - 1 }
        #expect(count("molecules", in: run.output) == good)
    }

    @Test func theCorpusThroughPreprocessPutsEveryBadRecordInTheRejects() throws {
        let expected = try Self.expectations()
        let directory = try TemporaryDirectory.create("corpus")
        let output = directory.appendingPathComponent("corpus.h5").path
        let run = try rgdm(["preprocess", "molecules"] + expected.map(\.path) + ["-o", output, "--threads", "2", "--max-steps", "50"])
        #expect(run.status == 0, "\(run.errors)")
        let rejects = try String(contentsOfFile: directory.appendingPathComponent("corpus.rejects.tsv").path, encoding: .utf8)
        for file in expected {
            let named = file.error == "emptyInput" ? "\(file.path): no molecule" : "\(file.path): record \(file.record)"
            #expect(rejects.contains(named), "no reject names \(named)")
        }
        #expect(FileManager.default.fileExists(atPath: output))
    }

    @Test func aRecordThatCrashesOpenBabelIsRejectedAndTheJobGoesOn() throws {
        let directory = try TemporaryDirectory.create("crash")
        let input = directory.appendingPathComponent("huge.smi").path
        try ("CCO ethanol\n" + String(repeating: "C", count: 200_000) + " huge\nc1ccccc1 benzene\n").write(toFile: input, atomically: true, encoding: .utf8)
        // Within the limits (the default rejects it before Open Babel: see the corpus tests), it overflows Open Babel's stack.
        let run = try rgdm(["evaluate", "molecules", input, "--threads", "2", "--max-atoms", "1000000", "--max-smiles-length", "1000000"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors.contains("\(input): record 2: the worker crashed on this record (signal"), "\(run.errors)")
        #expect(count("molecules", in: run.output) == 2)
    }

    @Test func aRecordPastItsTimeLimitIsRejectedAndTheJobGoesOn() throws {
        let directory = try TemporaryDirectory.create("timeout")
        let input = directory.appendingPathComponent("nested.smi").path
        let nested = String(repeating: "C(", count: 1000) + "C" + String(repeating: ")", count: 1000)
        try "CCO ethanol\n\(nested) nested\nc1ccccc1O phenol\n".write(toFile: input, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.h5").path
        // 3D generation for 1,001 nested branches runs for minutes.
        let run = try rgdm(["preprocess", "molecules", input, "-o", output, "--threads", "1", "--max-atoms", "2000",
                            "--max-branch-depth", "2000", "--record-timeout", "3"], bound: 60)
        #expect(run.status == 0, "\(run.errors)")
        let rejects = try String(contentsOfFile: directory.appendingPathComponent("out.rejects.tsv").path, encoding: .utf8)
        #expect(rejects.contains("2\trecord 2\t\(input): record 2: took longer than 3 s (--record-timeout)"), "\(rejects)")
        #expect(run.errors.contains("preprocess: 2 molecules"), "\(run.errors)")
    }

    @Test func aRecordOverTheMemoryCapIsRejectedAndTheJobGoesOn() throws {
        let directory = try TemporaryDirectory.create("memory")
        let input = directory.appendingPathComponent("chain.smi").path
        try (String(repeating: "C", count: 20_000) + " chain\nCCO ethanol\n").write(toFile: input, atomically: true, encoding: .utf8)
        // Its atoms all sit at the origin, so the distance table bonds every pair: gigabytes. No time
        // limit, so that a loaded machine cannot make it a timeout; a worker maps about 300 MiB to start.
        let run = try rgdm(["evaluate", "molecules", input, "--threads", "1", "--max-atoms", "100000",
                            "--max-smiles-length", "100000", "--worker-memory", "600", "--record-timeout", "0"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors.contains("\(input): record 1: needed more than the worker's 600 MiB of memory (--worker-memory)"), "\(run.errors)")
        #expect(count("molecules", in: run.output) == 1)
    }

    @Test func aBadRecordOpenBabelStreamsItselfEndsTheJobNamingIt() throws {
        let directory = try TemporaryDirectory.create("streamed")
        // .smy (Open Babel's Smiley parser): records rgdm does not delimit, so it cannot step over one.
        let input = directory.appendingPathComponent("huge.smy").path
        try ("CCO ethanol\n" + String(repeating: "C", count: 200_000) + " huge\n").write(toFile: input, atomically: true, encoding: .utf8)
        let run = try rgdm(["evaluate", "molecules", input, "--threads", "2", "--max-atoms", "1000000", "--record-timeout", "2"], bound: 60)
        #expect(run.status != 0)
        #expect(run.errors.contains("\(input): record 2: took longer than 2 s"), "\(run.errors)")
        #expect(!run.errors.contains("shard-"))
    }

    @Test func lenientReadingTakesWhatOpenBabelTakes() throws {
        let letter = Self.corpus + "/v2000-x-letter.sdf"
        let strict = try rgdm(["evaluate", "molecules", letter, "--threads", "1"])
        #expect(strict.errors.contains("\(letter): record 2, line 14: x coordinate 'l.2340'"))
        #expect(count("molecules", in: strict.output) == 2)
        let lenient = try rgdm(["evaluate", "molecules", letter, "--threads", "1", "--lenient"])
        #expect(!lenient.errors.contains("record 2"))
        #expect(count("molecules", in: lenient.output) == 3)
    }

    /// Open Babel 3.1.1 segfaults on these corpus records (a short V3000 atom
    /// line, a block never closed); strict reading rejects them with their
    /// line, and read leniently the worker dies instead of the job.
    @Test func lenientReadingSurvivesRecordsThatCrashOpenBabel() throws {
        let files = ["v3000-atom-fields.sdf", "v3000-block-not-closed.sdf"].map { Self.corpus + "/" + $0 }
        let strict = try rgdm(["evaluate", "molecules"] + files + ["--threads", "2"])
        for file in files { #expect(strict.errors.contains("\(file): record 2, line ")) }
        let lenient = try rgdm(["evaluate", "molecules"] + files + ["--threads", "2", "--lenient"])
        #expect(lenient.status == 0, "\(lenient.errors)")
        #expect((count("molecules", in: lenient.output) ?? 0) >= 4, "the good records around them are scored")
    }

    @Test func readingAndIsolationOptionsParseCheckAndReachTheWorkers() throws {
        let command = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", "a.smi", "-o", "a.h5", "--lenient",
                                                                "--max-atoms", "50", "--record-timeout", "0", "--worker-memory", "512"])
            as? PreprocessMoleculesCommand)
        #expect(command.reading.readerOptions == MoleculeReader.Options(validation: .lenient, limits: RecordLimits(atoms: 50)))
        #expect(command.isolation.isolation == RecordIsolation(timeout: nil, memoryMegabytes: 512))
        let arguments = command.job.workerArguments()
        #expect(arguments.contains("--lenient"))
        #expect(arguments.joined(separator: " ").contains("--max-atoms 50 --max-smiles-length 10000 --max-branch-depth 64 --max-open-rings 50"))
        let defaults = try #require(try RGDMCommand.parseAsRoot(["evaluate", "molecules", "a.sdf"]) as? EvaluateMoleculesCommand)
        #expect(defaults.reading.readerOptions == .strict)
        #expect(defaults.isolation.isolation == .default)
        for (flag, value, message) in [("--max-atoms", "0", "--max-atoms must be at least 1"),
                                       ("--record-timeout", "-1", "--record-timeout must be 0 (no limit) or more"),
                                       ("--worker-memory", "-5", "--worker-memory must be 0 (no limit) or at least 512 MiB"),
                                       ("--worker-memory", "100", "--worker-memory must be 0 (no limit) or at least 512 MiB")] {
            do {
                _ = try RGDMCommand.parseAsRoot(["evaluate", "molecules", "a.sdf", "\(flag)=\(value)"])
                Issue.record("\(flag) \(value) was accepted")
            } catch {
                #expect(RGDMCommand.message(for: error).contains(message), "\(RGDMCommand.message(for: error))")
            }
        }
    }
}
